-- fct_opportunity_touchpoints: how many more endpoint conversions each touchpoint would bring if
-- customers moved on from it the way the best persona / best week does, from the Markov chain's
-- observed transition rates (pipeline/markov.py, touchpoint_opportunities):
--   conversion_from_touchpoint            P(convert | at the touchpoint) in the map's chain
--   benchmark_conversion_from_touchpoint  the same once its transitions are the benchmark's
--   extra_conversions = (P(convert) with the benchmark row - P(convert)) * journeys with a
--                       touch, never below 0
--   population          best_week rows use every journey's chain; best_persona rows the chain
--                       of journeys whose persona is known (n_visits and the probabilities
--                       are then theirs)
-- label: the touchpoint (or touchpoint · campaign when it is split by campaign). Ranked per map
-- and benchmark by extra_conversions (ties: label).
create or replace table fct_opportunity_touchpoints as
with solved as (
    select
        map_id::varchar as map_id,
        label::varchar as label,
        population::varchar as population,
        n_visits::bigint as n_visits,
        conversion_from_touchpoint::double as conversion_from_touchpoint,
        benchmark::varchar as benchmark,
        benchmark_group::varchar as benchmark_group,
        benchmark_conversion_from_touchpoint::double as benchmark_conversion_from_touchpoint,
        conversion_probability::double as conversion_probability,
        benchmark_conversion_probability::double as benchmark_conversion_probability,
        extra_conversions::double as extra_conversions
    from touchpoint_opportunities_frame
)

select
    *,
    row_number() over (
        partition by map_id, benchmark
        order by extra_conversions desc, label
    ) as rank
from solved;
