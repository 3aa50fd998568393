-- fct_time_to_milestone_summary: per map, segment and milestone k >= 2, how many entrants
-- reached k so far and what the Kaplan-Meier curve (fct_time_to_milestone) makes of the
-- in-progress ones (docs/metrics.md#time-to-milestone):
--   entrants, converted, in_progress   from fct_milestone_funnels (step 0 persons; step k
--                                      persons; entrants not at k whose next deadline is open)
--   conversion_to_date                 converted / entrants: counts every in-progress
--                                      customer as not converted
--   km_conversion                      1 - S at the last conversion time: the estimated share
--                                      who reach k, in-progress customers counted for as long
--                                      as they were watched; 0 when nobody reached k
--   km_median_seconds                  the first time since entry with S <= 0.5 (null when the
--                                      curve never gets there)
create or replace table fct_time_to_milestone_summary as
with curve_ends as (
    select
        map_id,
        dimension,
        segment,
        step_index,
        arg_max(cumulative_conversion, seconds) as km_conversion,
        arg_max(cumulative_conversion_low, seconds) as km_conversion_low,
        arg_max(cumulative_conversion_high, seconds) as km_conversion_high,
        min(seconds) filter (where survival <= 0.5) as km_median_seconds
    from fct_time_to_milestone
    group by all
),

entrants as (
    select
        map_id,
        dimension,
        segment,
        persons as entrants
    from fct_milestone_funnels
    where step_index = 0
)

select
    funnels.map_id,
    funnels.dimension,
    funnels.segment,
    funnels.step_index,
    funnels.milestone_index,
    funnels.milestone_id,
    entrants.entrants,
    funnels.persons as converted,
    funnels.in_progress,
    funnels.persons / entrants.entrants as conversion_to_date,
    coalesce(curve_ends.km_conversion, 0) as km_conversion,
    curve_ends.km_conversion_low,
    curve_ends.km_conversion_high,
    curve_ends.km_median_seconds
from fct_milestone_funnels as funnels
inner join entrants
    on entrants.map_id = funnels.map_id
    and entrants.dimension = funnels.dimension
    and entrants.segment = funnels.segment
left join curve_ends
    on curve_ends.map_id = funnels.map_id
    and curve_ends.dimension = funnels.dimension
    and curve_ends.segment = funnels.segment
    and curve_ends.step_index = funnels.step_index
where funnels.step_index >= 1
order by funnels.map_id, funnels.dimension, funnels.segment, funnels.step_index;
