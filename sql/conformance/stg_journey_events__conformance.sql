-- The conformance engine's inputs for one ideal map ($map_id), from the journeys layer.
-- A journey's events are those the ideal map matched to a touchpoint, plus the events the map's
-- as-is map (ideal_of) matched but the ideal did not: those are the as-is touchpoints the ideal
-- leaves out, named by their as-is touchpoint id (unexpected touchpoints, log moves). Events no
-- map matched are coverage (map_coverage_unmapped), not journey steps.
-- Open cases: journeys the journeys layer marks in progress (metric-semantics §4).
insert into conformance_events
with ideal_events as (
    select * from journey_events where map_id = $map_id
),

as_is_events as (
    select journey_events.event_key, journey_events.touchpoint_id
    from journey_events
    inner join journey_maps on journey_maps.ideal_of = journey_events.map_id
    where journey_maps.map_id = $map_id and journey_events.touchpoint_id is not null
)

select
    ideal_events.customer_id as person_id,
    ideal_events.occurred_at,
    ideal_events.event_seq as event_order,
    coalesce(ideal_events.touchpoint_id, as_is_events.touchpoint_id) as event_name,
    ideal_events.stage,
    ideal_events.stage_index,
    ideal_events.touchpoint_id,
    ideal_events.department,
    false as is_stage_marker
from ideal_events
left join as_is_events on as_is_events.event_key = ideal_events.event_key
where ideal_events.touchpoint_id is not null or as_is_events.touchpoint_id is not null;

insert into conformance_open_cases
select customer_id from customer_journeys where map_id = $map_id and in_progress;
