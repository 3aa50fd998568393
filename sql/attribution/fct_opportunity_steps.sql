-- fct_opportunity_steps: how many more endpoint conversions each milestone step (k-1 -> k, up to
-- the endpoint) would bring if it converted at a benchmark rate. Counts and rates are the
-- milestone funnel's closed cohorts (int_milestone_step_conversion), the same figures as the
-- drop-off and ideal-map reports:
--   n_entered        step k's closed cohort: reached k-1 and the deadline for k has passed
--   rate             of them, reached k
--   downstream_rate  the later steps' rates up to the endpoint, multiplied (1 at the endpoint)
--   benchmark        target: the step's target on the map, or on the ideal map drawn for it;
--                    best_persona / best_week: the highest rate of a persona / entry week with
--                    at least $min_journeys customers in the closed cohort
--   population       all customers; for best_persona, those with a known persona (so
--                    rate, n_entered and downstream_rate are theirs)
--   extra_conversions = max(0, benchmark_rate - rate) * n_entered * downstream_rate; null while
--                    the step or a later one has no closed cohort
-- Ranked per map by extra_conversions (ties: step order, benchmark name).
create or replace table fct_opportunity_steps as
with maps as (
    select
        map_id,
        ideal_of
    from journey_maps
),

step_rates as (
    -- steps after the endpoint bring no endpoint conversions
    select *
    from int_milestone_step_conversion
    where not after_endpoint
),

steps as (
    -- persona benchmarks are compared with the customers whose persona is known: where the
    -- persona only becomes known at a step (a sign-up form), everyone with a persona took it,
    -- and comparing them with all customers would promise conversions no persona can bring
    select
        map_id,
        milestone_index,
        milestone_id,
        case dimension when 'all' then 'all' else 'known_persona' end as population,
        mature_entered as n_entered,
        converted as n_converted,
        conversion_rate as rate,
        rate_to_endpoint as downstream_rate
    from step_rates
    where dimension in ('all', 'persona_known')
),

target_sources as (
    -- a map's own targets win over those of an ideal map drawn for it
    select
        map_id,
        map_id as source_map_id,
        0 as preference
    from maps
    union all
    select
        ideal_of as map_id,
        map_id as source_map_id,
        1 as preference
    from maps
    where ideal_of is not null
),

targets as (
    select
        target_sources.map_id,
        map_targets.milestone_id,
        arg_min(
            map_targets.conversion_rate,
            {'preference': target_sources.preference, 'source': target_sources.source_map_id}
        ) as rate
    from target_sources
    inner join map_targets on map_targets.map_id = target_sources.source_map_id
    where map_targets.conversion_rate is not null
    group by target_sources.map_id, map_targets.milestone_id
),

persona_rates as (
    select
        map_id,
        milestone_index,
        segment as benchmark_group,
        conversion_rate as rate
    from step_rates
    where dimension = 'persona'
        and segment <> ''
        and mature_entered >= $min_journeys
),

week_rates as (
    select
        map_id,
        milestone_index,
        segment as benchmark_group,
        conversion_rate as rate
    from step_rates
    where dimension = 'entry_week'
        and mature_entered >= $min_journeys
),

benchmarks as (
    select
        steps.map_id,
        steps.milestone_index,
        'all' as population,
        'target' as benchmark,
        null::varchar as benchmark_group,
        targets.rate as benchmark_rate
    from steps
    inner join targets
        on targets.map_id = steps.map_id
        and targets.milestone_id = steps.milestone_id
    where steps.population = 'all'
    union all
    select
        map_id,
        milestone_index,
        'known_persona' as population,
        'best_persona' as benchmark,
        arg_max(benchmark_group, {'rate': rate, 'group': benchmark_group}) as benchmark_group,
        max(rate) as benchmark_rate
    from persona_rates
    group by map_id, milestone_index
    union all
    select
        map_id,
        milestone_index,
        'all' as population,
        'best_week' as benchmark,
        arg_max(benchmark_group, {'rate': rate, 'group': benchmark_group}) as benchmark_group,
        max(rate) as benchmark_rate
    from week_rates
    group by map_id, milestone_index
),

sized as (
    select
        steps.*,
        benchmarks.benchmark,
        benchmarks.benchmark_group,
        benchmarks.benchmark_rate,
        -- greatest() skips a null: without a closed cohort there is no rate to size
        case when steps.rate is not null then
            greatest(benchmarks.benchmark_rate - steps.rate, 0)
            * steps.n_entered
            * steps.downstream_rate
        end as extra_conversions
    from steps
    inner join benchmarks
        on benchmarks.map_id = steps.map_id
        and benchmarks.milestone_index = steps.milestone_index
        and benchmarks.population = steps.population
)

select
    *,
    row_number() over (
        partition by map_id
        order by extra_conversions desc nulls last, milestone_index, benchmark
    ) as rank
from sized;
