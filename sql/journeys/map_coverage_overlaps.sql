-- map_coverage_overlaps: events matched by more than one touchpoint rule, grouped by the set of
-- rules that matched (listed in precedence order; the first one gets the events).
create or replace table map_coverage_overlaps as
with touchpoint_matches as (
    select
        map_id,
        event_key,
        owner_id as touchpoint_id,
        touchpoint_precedence
    from journey_rule_matches
    where rule_kind = 'touchpoint'
),

overlapping_events as (
    select
        map_id,
        event_key,
        list(touchpoint_id order by touchpoint_precedence) as matched_touchpoints
    from touchpoint_matches
    group by all
    having count(*) > 1
)

select
    map_id,
    matched_touchpoints,
    matched_touchpoints[1] as assigned_touchpoint,
    count(*) as n_events,
    min(event_key) as example_event_key
from overlapping_events
group by all;
