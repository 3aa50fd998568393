-- touchpoint_inventory: what was observed, per map: one row per (touchpoint, source, event
-- type), with volume, customers and first/last seen. Rows with is_mapped = false are events no
-- touchpoint matches, with their own channel: the data-driven first draft of an as-is map.
create or replace table touchpoint_inventory as
with events as (
    select * from journey_events
),

observed as (
    select
        map_id,
        touchpoint_id,
        source_system,
        event_type,
        count(*) as n_events,
        count(distinct customer_id) as n_customers,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at,
        mode(event_channel) as event_channel
    from events
    group by all
)

select
    observed.map_id,
    observed.touchpoint_id is not null as is_mapped,
    observed.touchpoint_id,
    touchpoints.label,
    touchpoints.stage,
    touchpoints.stage_index,
    touchpoints.department,
    coalesce(touchpoints.channel, observed.event_channel) as channel,
    observed.source_system,
    observed.event_type,
    observed.n_events,
    observed.n_customers,
    observed.first_seen_at,
    observed.last_seen_at,
    observed.n_events / sum(observed.n_events) over (partition by observed.map_id)
        as share_of_events
from observed
left join map_touchpoints as touchpoints
    on touchpoints.map_id = observed.map_id
    and touchpoints.touchpoint_id = observed.touchpoint_id;
