-- int_milestone_step_conversion: the one definition of a milestone step's conversion (k-1 -> k,
-- k >= 2) that step_targets and fct_opportunity_steps read, so the ideal-map report, the
-- opportunity sizing and the drop-off report show the same rate for the same step and segment
-- (docs/metrics.md#drop-off). Per map and fct_milestone_funnels segment, plus dimension
-- 'persona_known' (segment ''): the customers whose persona is known, pooled.
--   entered          reached k-1
--   open             of them, the deadline for k is after as-of (not judged yet, even if they
--                    already reached k: the cohort is chosen by deadline, not outcome)
--   mature_entered   entered - open: step k's closed cohort (mature_previous_persons)
--   converted        of the closed cohort, reached k (mature_persons)
--   conversion_rate  converted / mature_entered, Wilson 95 % interval; null when nobody is closed
--   median_seconds   from k-1 to k over everyone who reached k (null on 'persona_known')
--   after_endpoint   k comes after the map's endpoint milestone (a repeat order)
--   rate_to_endpoint product of the conversion rates of the steps after k up to the endpoint
--                    (1 at the endpoint's step); null after the endpoint, and when a step on the
--                    way has no closed cohort yet
create or replace table int_milestone_step_conversion as
with funnels as (
    select
        map_id,
        dimension,
        segment,
        milestone_index,
        milestone_id,
        lag(persons) over (
            partition by map_id, dimension, segment order by step_index
        ) as entered,
        mature_previous_persons,
        mature_persons,
        median_seconds
    from fct_milestone_funnels
),

known_persona as (
    select
        map_id,
        'persona_known' as dimension,
        '' as segment,
        milestone_index,
        milestone_id,
        sum(entered)::bigint as entered,
        sum(mature_previous_persons)::bigint as mature_previous_persons,
        sum(mature_persons)::bigint as mature_persons,
        null::double as median_seconds
    from funnels
    where dimension = 'persona' and segment <> '' and milestone_index >= 2
    group by map_id, milestone_index, milestone_id
),

steps as (
    select * from funnels where milestone_index >= 2
    union all
    select * from known_persona
),

rates as (
    select
        steps.map_id,
        steps.dimension,
        steps.segment,
        steps.milestone_index,
        steps.milestone_id,
        steps.entered,
        steps.entered - steps.mature_previous_persons as open,
        steps.mature_previous_persons as mature_entered,
        steps.mature_persons as converted,
        steps.mature_persons / nullif(steps.mature_previous_persons, 0) as conversion_rate,
        wilson_low(steps.mature_persons, steps.mature_previous_persons) as conversion_rate_low,
        wilson_high(steps.mature_persons, steps.mature_previous_persons)
            as conversion_rate_high,
        steps.median_seconds,
        coalesce(steps.milestone_index > endpoints.milestone_index, false) as after_endpoint,
        endpoints.milestone_index as endpoint_index
    from steps
    left join map_milestones as endpoints
        on endpoints.map_id = steps.map_id
        and endpoints.is_endpoint
),

to_endpoint as (
    -- the steps after k up to the endpoint, read as one frame per step
    select
        *,
        count(*) over later as n_later,
        count(conversion_rate) over later as n_later_rated,
        product(conversion_rate) over later as later_product
    from rates
    where milestone_index <= endpoint_index
    window later as (
        partition by map_id, dimension, segment
        order by milestone_index
        rows between 1 following and unbounded following
    )
)

select
    rates.* exclude (endpoint_index),
    case
        when to_endpoint.n_later = 0 then 1.0
        when to_endpoint.n_later_rated = to_endpoint.n_later then to_endpoint.later_product
    end as rate_to_endpoint
from rates
left join to_endpoint using (map_id, dimension, segment, milestone_index)
order by map_id, dimension, segment, milestone_index;
