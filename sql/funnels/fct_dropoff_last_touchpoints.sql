-- fct_dropoff_last_touchpoints: for customers who dropped at step k, the last mapped touchpoint
-- they had by the deadline they missed (deadline_at) (ties: the later event_key), per entry week (null = all
-- weeks). share = persons / dropped persons with any touchpoint in that group.
create or replace table fct_dropoff_last_touchpoints as
with last_touch as (
    select
        dropped.map_id,
        dropped.customer_id,
        dropped.entry_week,
        dropped.step_index,
        arg_max(events.touchpoint_id, (events.occurred_at, events.event_key)) as touchpoint_id
    from int_dropoff_persons as dropped
    inner join journey_events as events
        on events.map_id = dropped.map_id
        and events.customer_id = dropped.customer_id
        and events.occurred_at <= dropped.deadline_at
        and events.touchpoint_id is not null
    group by all
),

counted as (
    select
        map_id,
        entry_week,
        step_index,
        touchpoint_id,
        count(*) as persons
    from last_touch
    group by grouping sets ((map_id, entry_week, step_index, touchpoint_id),
                            (map_id, step_index, touchpoint_id))
)

select
    *,
    persons / sum(persons) over (partition by map_id, entry_week, step_index) as share,
    row_number() over (
        partition by map_id, entry_week, step_index order by persons desc, touchpoint_id
    ) as rank
from counted
order by map_id, step_index, entry_week nulls first, rank;
