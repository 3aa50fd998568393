-- fct_milestone_funnels: each map's milestone funnel, overall (dimension 'all') and per segment
-- of int_funnel_segments (entry week, persona, first-touch channel, source, department). Counts are persons whose furthest step >= step_index;
-- rates are null when their denominator is 0; times are from the previous milestone (mean and
-- interpolated median). mature_*: step k's closed cohort (right-censoring, docs/metrics.md
-- #drop-off): the customers who reached step k-1 and whose deadline for step k (next_deadline_at
-- of step k-1) is by as-of, whether or not they made it; mature_previous_persons counts them,
-- mature_persons those of them who reached step k. At step 0 both count the entrants whose
-- deadline for step 1 has passed. in_progress: entrants who have not reached the step yet and
-- whose next deadline is after as-of.
create or replace table fct_milestone_funnels as
with entrants as (
    select
        persons.*,
        maps.as_of
    from fct_funnel_persons as persons
    inner join journey_maps as maps on maps.map_id = persons.map_id
    where persons.furthest_step >= 0
),

segments as (
    select *
    from int_funnel_segments
),

steps as (
    select
        map_id,
        milestone_index - 1 as step_index,
        milestone_id,
        stage
    from map_milestones
),

grid as (
    select
        segments.map_id,
        segments.dimension,
        segments.segment,
        steps.step_index,
        steps.milestone_id,
        steps.stage,
        entrants.furthest_step >= steps.step_index as reached,
        entrants.furthest_step >= steps.step_index - 1 as reached_previous,
        coalesce(decision_step.next_deadline_at <= entrants.as_of, false) as is_mature,
        entrants.status,
        person_steps.seconds_from_previous
    from segments
    inner join entrants
        on entrants.map_id = segments.map_id
        and entrants.customer_id = segments.customer_id
    inner join steps on steps.map_id = segments.map_id
    left join fct_funnel_person_steps as person_steps
        on person_steps.map_id = segments.map_id
        and person_steps.customer_id = segments.customer_id
        and person_steps.step_index = steps.step_index
    left join fct_funnel_person_steps as decision_step
        on decision_step.map_id = segments.map_id
        and decision_step.customer_id = segments.customer_id
        and decision_step.step_index = greatest(steps.step_index - 1, 0)
),

counted as (
    select
        map_id,
        dimension,
        segment,
        step_index,
        milestone_id,
        stage,
        count_if(reached)::bigint as persons,
        count_if(reached_previous and is_mature)::bigint as mature_previous_persons,
        count_if(reached and is_mature)::bigint as mature_persons,
        count_if(not reached and status = 'in_progress')::bigint as in_progress,
        avg(seconds_from_previous) filter (where reached) as average_seconds,
        median(seconds_from_previous) filter (where reached) as median_seconds
    from grid
    group by all
)

select
    map_id,
    dimension,
    segment,
    step_index,
    step_index + 1 as milestone_index,
    milestone_id,
    stage,
    persons,
    persons / nullif(first_value(persons) over funnel, 0) as conversion_from_start,
    case when step_index > 0 then persons / nullif(lag(persons) over funnel, 0) end
        as conversion_from_previous,
    case when step_index > 0 then wilson_low(persons, lag(persons) over funnel) end
        as conversion_from_previous_low,
    case when step_index > 0 then wilson_high(persons, lag(persons) over funnel) end
        as conversion_from_previous_high,
    mature_previous_persons,
    mature_persons,
    case when step_index > 0 then mature_persons / nullif(mature_previous_persons, 0) end
        as mature_conversion_from_previous,
    in_progress,
    case when step_index > 0 then average_seconds end as average_seconds,
    case when step_index > 0 then median_seconds end as median_seconds
from counted
window funnel as (partition by map_id, dimension, segment order by step_index)
order by map_id, dimension, segment, step_index;
