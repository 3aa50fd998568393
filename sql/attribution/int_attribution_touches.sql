-- int_attribution_touches: the credited touches of each attribution journey, in order: mapped
-- events whose touchpoint earns credit on that map (attribution.yaml; $credited), before the
-- endpoint event (converted: same-time events count when they come first in event_seq) or up
-- to the end of the window (not converted). A touchpoint split by campaign is labelled
-- '<touchpoint> · <campaign>' when the event has a campaign.
create or replace table int_attribution_touches as
with credited as (
    select unnest(cast($credited as struct(
        map_id varchar, touchpoint_id varchar, split_by_campaign boolean
    )[]), recursive := true)
),

journeys as (
    select * from int_attribution_journeys
),

endpoint_events as (
    select
        milestones.map_id,
        milestones.customer_id,
        events.event_seq
    from customer_milestones as milestones
    inner join map_milestones
        on map_milestones.map_id = milestones.map_id
        and map_milestones.milestone_index = milestones.milestone_index
    inner join journey_events as events
        on events.map_id = milestones.map_id
        and events.customer_id = milestones.customer_id
        and events.event_key = milestones.event_key
    where map_milestones.is_endpoint
)

select
    events.map_id,
    events.customer_id,
    events.event_seq as touch_seq,
    events.occurred_at as touched_at,
    case
        when credited.split_by_campaign and events.campaign_name is not null
            then events.touchpoint_id || ' · ' || events.campaign_name
        else events.touchpoint_id
    end as touchpoint_id,
    events.channel
from journey_events as events
inner join credited
    on credited.map_id = events.map_id
    and credited.touchpoint_id = events.touchpoint_id
inner join journeys
    on journeys.map_id = events.map_id
    and journeys.customer_id = events.customer_id
left join endpoint_events
    on endpoint_events.map_id = events.map_id
    and endpoint_events.customer_id = events.customer_id
where events.occurred_at <= journeys.outcome_at
    and (not journeys.is_converted or events.event_seq < endpoint_events.event_seq);
