-- fct_dropoff_weekly: per map, milestone step k (the stage between milestone k and k+1) and
-- weekly entry cohort (entry_week null = all weeks): who entered step k, progressed to k+1,
-- is still in progress (deadline for k+1 after as-of: right-censored, never a drop) or dropped.
-- entered = progressed + in_progress + dropped. closed = step k's closed cohort: reached k and
-- the deadline for k+1 has passed, whether or not they went on (chosen by deadline, not by
-- outcome, so a young cohort's fast converters do not pull its rate down).
-- drop_off_rate = dropped / closed, with its Wilson interval; null when closed = 0.
create or replace table fct_dropoff_weekly as
with steps as (
    select
        map_id,
        milestone_index - 1 as step_index,
        milestone_id,
        lead(milestone_id) over (partition by map_id order by milestone_index)
            as next_milestone_id,
        stage
    from map_milestones
),

at_step as (
    select
        persons.map_id,
        persons.entry_week,
        steps.step_index,
        steps.milestone_id,
        steps.next_milestone_id,
        steps.stage,
        persons.furthest_step > steps.step_index as progressed,
        persons.furthest_step = steps.step_index and persons.status = 'in_progress'
            as in_progress,
        persons.furthest_step = steps.step_index and persons.status = 'dropped' as dropped,
        at_step.next_deadline_at <= maps.as_of as closed
    from fct_funnel_persons as persons
    inner join journey_maps as maps on maps.map_id = persons.map_id
    inner join steps
        on steps.map_id = persons.map_id
        and persons.furthest_step >= steps.step_index
    inner join fct_funnel_person_steps as at_step
        on at_step.map_id = persons.map_id
        and at_step.customer_id = persons.customer_id
        and at_step.step_index = steps.step_index
    where steps.next_milestone_id is not null
),

counted as (
    select
        map_id,
        entry_week,
        step_index,
        any_value(milestone_id) as milestone_id,
        any_value(next_milestone_id) as next_milestone_id,
        any_value(stage) as stage,
        count(*) as entered,
        count_if(progressed)::bigint as progressed,
        count_if(in_progress)::bigint as in_progress,
        count_if(dropped)::bigint as dropped,
        count_if(closed)::bigint as closed
    from at_step
    group by grouping sets ((map_id, entry_week, step_index), (map_id, step_index))
)

select
    *,
    dropped / nullif(closed, 0) as drop_off_rate,
    wilson_low(dropped, closed) as drop_off_rate_low,
    wilson_high(dropped, closed) as drop_off_rate_high
from counted
order by map_id, step_index, entry_week nulls first;
