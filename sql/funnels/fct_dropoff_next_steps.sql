-- fct_dropoff_next_steps: what customers who dropped at step k did next: the first event
-- strictly after their last milestone (ties: event_key), as an event type and as a touchpoint
-- ('(unmapped)' when no touchpoint matched, '(nothing)' when no later event exists). Counted in
-- distinct persons per entry week (null = all weeks); the top 10 of each kind are kept.
create or replace table fct_dropoff_next_steps as
with next_event as (
    select
        dropped.map_id,
        dropped.customer_id,
        dropped.entry_week,
        dropped.step_index,
        arg_min(
            {'event_type': events.event_type,
             'touchpoint': coalesce(events.touchpoint_id, '(unmapped)')},
            (events.occurred_at, events.event_key)
        ) as first_next
    from int_dropoff_persons as dropped
    left join journey_events as events
        on events.map_id = dropped.map_id
        and events.customer_id = dropped.customer_id
        and events.occurred_at > dropped.last_milestone_at
    group by all
),

by_kind as (
    select map_id, entry_week, step_index, 'event_type' as kind,
        coalesce(first_next.event_type, '(nothing)') as value
    from next_event
    union all
    select map_id, entry_week, step_index, 'touchpoint' as kind,
        coalesce(first_next.touchpoint, '(nothing)') as value
    from next_event
),

counted as (
    select
        map_id,
        entry_week,
        step_index,
        kind,
        value,
        count(*) as persons
    from by_kind
    group by grouping sets ((map_id, entry_week, step_index, kind, value),
                            (map_id, step_index, kind, value))
),

ranked as (
    select
        *,
        persons / sum(persons) over (partition by map_id, entry_week, step_index, kind)
            as share,
        row_number() over (
            partition by map_id, entry_week, step_index, kind order by persons desc, value
        ) as rank
    from counted
)

select *
from ranked
where rank <= 10
order by map_id, step_index, entry_week nulls first, kind, rank;
