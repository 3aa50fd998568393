-- int_branch_anchors: every touch whose outcome should decide the next step (workshop article 5:
-- "if they clicked ... if they did not even open the email, perhaps a 2nd reminder"), one row
-- per anchor event per map, with its outcome, what the customer did next and whether the
-- journey then converted.
--   email.delivered        -> clicked / opened / not_opened: the opens and clicks of the same
--                             email (same customer and campaign, before the campaign's next
--                             delivery to them) within $outcome_window_seconds; the campaign is
--                             campaign_name, else the vendor's category (SendGrid)
--   support.ticket_solved  -> rated_good / rated_bad / not_rated: the customer's last CSAT
--                             rating (event name good / bad) before their next solved ticket,
--                             within $outcome_window_seconds
-- The branch is decided by its first click / first open / rating event (the anchor itself when
-- nothing happened). next_touchpoint_id: the first mapped touchpoint after that event within
-- $next_within_seconds that is not another response to the same anchor; null = nothing.
-- is_closed: the outcome window has ended by the map's as-of time (open anchors can still
-- change branch, so reports count closed anchors only).
-- Conversion counts anchors inside a decided journey's window and before its endpoint:
-- converted_after = the endpoint was reached after the anchor.
create or replace table int_branch_anchors as
with events as (
    select
        map_id,
        customer_id,
        event_key,
        event_seq,
        occurred_at,
        event_type,
        lower(event_name_raw) as event_name,
        touchpoint_id,
        coalesce(
            campaign_name,
            json_extract_string(properties, '$.category[#-1]'),
            json_extract_string(properties, '$.category'),
            ''
        ) as campaign_key,
        case
            when event_type in ('email.delivered', 'email.opened', 'email.clicked') then 'email'
            when event_type in ('support.ticket_solved', 'survey.csat_submitted') then 'ticket'
        end as anchor_kind
    from journey_events
),

keyed as (
    -- a response belongs to the latest anchor before it with the same key: the same campaign
    -- for emails, any solved ticket for ratings
    select
        *,
        anchor_kind || ':' || if(anchor_kind = 'email', campaign_key, '') as match_key
    from events
    where anchor_kind is not null
),

anchors as (
    select * from keyed
    where event_type in ('email.delivered', 'support.ticket_solved')
),

responses as (
    select * from keyed
    where event_type in ('email.opened', 'email.clicked', 'survey.csat_submitted')
),

matched_responses as (
    select
        anchors.map_id,
        anchors.event_key as anchor_event_key,
        responses.event_key,
        responses.event_seq,
        responses.event_type,
        responses.event_name
    from responses
    asof inner join anchors
        on responses.map_id = anchors.map_id
        and responses.customer_id = anchors.customer_id
        and responses.match_key = anchors.match_key
        and responses.event_seq > anchors.event_seq
    where responses.occurred_at <= anchors.occurred_at + to_seconds($outcome_window_seconds)
),

outcomes as (
    select
        map_id,
        anchor_event_key,
        min(event_seq) filter (where event_type = 'email.clicked') as first_click_seq,
        min(event_seq) filter (where event_type = 'email.opened') as first_open_seq,
        arg_max(event_name, event_seq) filter (
            where event_type = 'survey.csat_submitted'
        ) as rating,
        max(event_seq) filter (where event_type = 'survey.csat_submitted') as rating_seq,
        list(event_key) as response_keys
    from matched_responses
    group by map_id, anchor_event_key
),

branched as (
    select
        anchors.map_id,
        anchors.customer_id,
        anchors.event_key as anchor_event_key,
        anchors.anchor_kind,
        anchors.touchpoint_id as anchor_touchpoint_id,
        anchors.campaign_key,
        coalesce(
            anchors.touchpoint_id,
            anchors.anchor_kind || ': ' || nullif(anchors.campaign_key, ''),
            anchors.event_type
        ) as anchor_label,
        anchors.occurred_at as anchored_at,
        anchors.event_seq as anchor_seq,
        case
            when anchors.anchor_kind = 'email' and outcomes.first_click_seq is not null
                then 'clicked'
            when anchors.anchor_kind = 'email' and outcomes.first_open_seq is not null
                then 'opened'
            when anchors.anchor_kind = 'email' then 'not_opened'
            when outcomes.rating in ('good', 'bad') then 'rated_' || outcomes.rating
            else 'not_rated'
        end as outcome,
        coalesce(
            outcomes.first_click_seq, outcomes.first_open_seq, outcomes.rating_seq,
            anchors.event_seq
        ) as decided_seq,
        coalesce(outcomes.response_keys, []) as response_keys
    from anchors
    left join outcomes
        on outcomes.map_id = anchors.map_id
        and outcomes.anchor_event_key = anchors.event_key
),

decided as (
    select
        branched.*,
        events.occurred_at as decided_at
    from branched
    inner join events
        on events.map_id = branched.map_id
        and events.customer_id = branched.customer_id
        and events.event_seq = branched.decided_seq
),

next_touches as (
    select
        decided.map_id,
        decided.anchor_event_key,
        arg_min(events.touchpoint_id, events.event_seq) as next_touchpoint_id,
        min(events.occurred_at) as next_at
    from decided
    inner join events
        on events.map_id = decided.map_id
        and events.customer_id = decided.customer_id
        and events.event_seq > decided.decided_seq
        and events.occurred_at <= decided.decided_at + to_seconds($next_within_seconds)
        and events.touchpoint_id is not null
        and not list_contains(decided.response_keys, events.event_key)
    group by decided.map_id, decided.anchor_event_key
),

maps as (
    select
        map_id,
        as_of
    from journey_maps
)

select
    decided.map_id,
    decided.customer_id,
    journeys.persona,
    decided.anchor_event_key,
    decided.anchor_kind,
    decided.anchor_label,
    decided.anchor_touchpoint_id,
    decided.campaign_key,
    decided.anchored_at,
    decided.outcome,
    decided.decided_at,
    decided.anchored_at + to_seconds($outcome_window_seconds) <= maps.as_of as is_closed,
    next_touches.next_touchpoint_id,
    next_touches.next_at,
    coalesce(
        journeys.journey_start_at <= decided.anchored_at
        and decided.anchored_at <= journeys.window_ends_at
        and (journeys.endpoint_reached or not journeys.in_progress)
        and (not journeys.endpoint_reached or journeys.endpoint_at > decided.anchored_at),
        false
    ) as is_conversion_eligible,
    coalesce(
        journeys.endpoint_reached and journeys.endpoint_at > decided.anchored_at, false
    ) as converted_after
from decided
inner join maps on maps.map_id = decided.map_id
left join customer_journeys as journeys
    on journeys.map_id = decided.map_id
    and journeys.customer_id = decided.customer_id
left join next_touches
    on next_touches.map_id = decided.map_id
    and next_touches.anchor_event_key = decided.anchor_event_key;
