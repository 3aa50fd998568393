-- One row per claim per respondent: did what they said (or the opposite, for `absent` claims)?
-- Respondents are customers with an event of the claim's say touchpoint (or say rule); each is
-- judged on their FIRST such response. `said` = that response matches the say rule (score
-- range, conditions). Every respondent gets an outcome, so calibration can compare scores.
-- The behaviour is looked for from the response (inclusive, the response itself excluded) to
-- the deadline = response + within, or as-of when the claim has no `within`:
--   milestone       one of the milestones was reached (customer_milestones)
--   touchpoint      an event of one of the touchpoints
--   event           an event matching the claim's do rule
--   next_milestone  the milestone after the furthest one reached by the response
--                   (no next milestone: the respondent is left out)
--   mostly_on       more engagement events on the channel than on the versus channels,
--                   engagement = mapped events except what the company sends
--                   (email.sent / processed / delivered / deferred / bounced / dropped)
-- kept = behaviour (or, for absent claims, no behaviour). A response is mature when the
-- behaviour happened or its deadline has passed (deadline <= as-of), so an absent claim is only
-- kept once its time is over; immature ones are open (§4): neither kept nor in the gap.
create or replace table int_claim_outcomes as
with claims as (
    select map_claims.*, journey_maps.as_of
    from map_claims
    inner join journey_maps using (map_id)
),

say_events as (
    select claims.map_id, claims.claim_id, events.customer_id, events.event_key,
        events.occurred_at
    from claims
    inner join journey_events as events
        on events.map_id = claims.map_id and events.touchpoint_id = claims.say_touchpoint_id
    union
    select claims.map_id, claims.claim_id, matches.customer_id, matches.event_key,
        matches.occurred_at
    from claims
    inner join journey_rule_matches as matches
        on matches.map_id = claims.map_id and matches.rule_id = claims.say_rule_id
),

first_responses as (
    select
        map_id,
        claim_id,
        customer_id,
        arg_min(event_key, (occurred_at, event_key)) as event_key,
        min(occurred_at) as said_at
    from say_events
    group by all
),

respondents as (
    select
        first_responses.*,
        claims.label,
        claims.do_kind,
        claims.do_targets,
        claims.do_absent,
        claims.versus_channels,
        claims.as_of,
        coalesce(first_responses.said_at + to_seconds(claims.do_within_seconds), claims.as_of)
            as deadline,
        exists (
            select 1 from journey_rule_matches as m
            where m.map_id = first_responses.map_id and m.rule_id = claims.say_rule_id
                and m.event_key = first_responses.event_key
        ) as said
    from first_responses
    inner join claims using (map_id, claim_id)
),

reached_before as (
    select respondents.map_id, respondents.claim_id, respondents.customer_id,
        max(m.milestone_index) as furthest_before
    from respondents
    inner join customer_milestones as m
        on m.map_id = respondents.map_id and m.customer_id = respondents.customer_id
        and m.reached_at <= respondents.said_at
    where respondents.do_kind = 'next_milestone'
    group by all
),

milestone_count as (
    select map_id, count(*) as n_milestones from map_milestones group by map_id
),

behaviour_milestone as (
    select distinct r.map_id, r.claim_id, r.customer_id
    from respondents as r
    inner join customer_milestones as m
        on m.map_id = r.map_id and m.customer_id = r.customer_id
        and list_contains(r.do_targets, m.milestone_id)
        and m.reached_at >= r.said_at and m.reached_at <= r.deadline
    where r.do_kind = 'milestone'
),

behaviour_next_milestone as (
    select distinct r.map_id, r.claim_id, r.customer_id
    from respondents as r
    left join reached_before as b using (map_id, claim_id, customer_id)
    inner join customer_milestones as m
        on m.map_id = r.map_id and m.customer_id = r.customer_id
        and m.milestone_index = coalesce(b.furthest_before, 0) + 1
        and m.reached_at >= r.said_at and m.reached_at <= r.deadline
    where r.do_kind = 'next_milestone'
),

behaviour_touchpoint as (
    select distinct r.map_id, r.claim_id, r.customer_id
    from respondents as r
    inner join journey_events as e
        on e.map_id = r.map_id and e.customer_id = r.customer_id
        and list_contains(r.do_targets, e.touchpoint_id)
        and e.event_key <> r.event_key
        and e.occurred_at >= r.said_at and e.occurred_at <= r.deadline
    where r.do_kind = 'touchpoint'
),

behaviour_event as (
    select distinct r.map_id, r.claim_id, r.customer_id
    from respondents as r
    inner join journey_rule_matches as m
        on m.map_id = r.map_id and m.customer_id = r.customer_id
        and list_contains(r.do_targets, m.rule_id)
        and m.event_key <> r.event_key
        and m.occurred_at >= r.said_at and m.occurred_at <= r.deadline
    where r.do_kind = 'event'
),

engagement as (
    select
        r.map_id,
        r.claim_id,
        r.customer_id,
        count_if(e.channel = r.do_targets[1]) as on_channel,
        count_if(list_contains(r.versus_channels, e.channel)) as on_versus
    from respondents as r
    inner join journey_events as e
        on e.map_id = r.map_id and e.customer_id = r.customer_id
        and e.touchpoint_id is not null
        and is_engagement(e.event_type)
        and e.event_key <> r.event_key
        and e.occurred_at >= r.said_at and e.occurred_at <= r.deadline
    where r.do_kind = 'mostly_on'
    group by all
),

behaviour_mostly_on as (
    select map_id, claim_id, customer_id from engagement where on_channel > on_versus
),

behaviours as (
    select * from behaviour_milestone
    union all select * from behaviour_next_milestone
    union all select * from behaviour_touchpoint
    union all select * from behaviour_event
    union all select * from behaviour_mostly_on
),

outcomes as (
    select
        r.*,
        b.customer_id is not null as behaved
    from respondents as r
    left join behaviours as b using (map_id, claim_id, customer_id)
    left join reached_before as before using (map_id, claim_id, customer_id)
    left join milestone_count using (map_id)
    where r.do_kind <> 'next_milestone'
        or coalesce(before.furthest_before, 0) < milestone_count.n_milestones
)

select
    outcomes.map_id,
    outcomes.claim_id,
    outcomes.label,
    outcomes.customer_id,
    outcomes.event_key,
    outcomes.said_at,
    outcomes.deadline,
    outcomes.said,
    responses.score,
    responses.score_scale,
    responses.stage_at_response,
    responses.persona,
    cast(date_trunc('week', outcomes.said_at) as date) as cohort_week,
    outcomes.behaved,
    outcomes.behaved <> outcomes.do_absent as kept,
    outcomes.behaved or outcomes.deadline <= outcomes.as_of as mature
from outcomes
left join int_survey_responses as responses
    on responses.map_id = outcomes.map_id and responses.event_key = outcomes.event_key
inner join customer_journeys as journeys
    on journeys.map_id = outcomes.map_id and journeys.customer_id = outcomes.customer_id;
