-- fct_opportunity_steps: how many more endpoint conversions each milestone step (k-1 -> k, up to
-- the endpoint) would bring if it converted at a benchmark rate, from observed rates over
-- decided journeys (not in progress):
--   rate             reached k / reached k-1
--   downstream_rate  reached the endpoint / reached k (the later steps' observed rates)
--   benchmark        target: the step's target on the map, or on the ideal map drawn for it;
--                    best_persona / best_week: the highest rate of a persona / entry week with
--                    at least $min_journeys journeys at k-1
--   population       all journeys; for best_persona, the journeys with a known persona (so
--                    rate, n_entered and downstream_rate are theirs)
--   extra_conversions = max(0, benchmark_rate - rate) * reached k-1 * downstream_rate
-- Ranked per map by extra_conversions (ties: step order, benchmark name).
create or replace table fct_opportunity_steps as
with maps as (
    select
        map_id,
        ideal_of
    from journey_maps
),

milestones as (
    select
        map_id,
        milestone_index,
        milestone_id,
        max(milestone_index) filter (where is_endpoint) over (
            partition by map_id
        ) as endpoint_index
    from map_milestones
),

journeys as (
    select
        map_id,
        customer_id,
        coalesce(persona, '(no persona)') as persona,
        entry_week,
        furthest_milestone,
        endpoint_reached
    from customer_journeys
    where journey_start_at is not null
        and not in_progress
),

step_cells as (
    -- one row per step, persona and week, so every benchmark reads the same counts
    select
        milestones.map_id,
        milestones.milestone_index,
        milestones.milestone_id,
        journeys.persona,
        journeys.entry_week,
        count(*) filter (
            where journeys.furthest_milestone >= milestones.milestone_index - 1
        ) as n_entered,
        count(*) filter (
            where journeys.furthest_milestone >= milestones.milestone_index
        ) as n_converted,
        count(*) filter (
            where journeys.furthest_milestone >= milestones.milestone_index
            and journeys.endpoint_reached
        ) as n_endpoint
    from milestones
    inner join journeys on journeys.map_id = milestones.map_id
    where milestones.milestone_index between 2 and milestones.endpoint_index
    group by all
),

populations as (
    -- persona benchmarks are compared with the journeys whose persona is known: where the
    -- persona only becomes known at a step (a sign-up form), everyone with a persona took it,
    -- and comparing them with all journeys would promise conversions no persona can bring
    select
        *,
        'all' as population
    from step_cells
    union all
    select
        *,
        'known_persona' as population
    from step_cells
    where persona <> '(no persona)'
),

steps as (
    select
        map_id,
        milestone_index,
        milestone_id,
        population,
        sum(n_entered) as n_entered,
        sum(n_converted) as n_converted,
        sum(n_converted) / nullif(sum(n_entered), 0) as rate,
        sum(n_endpoint) / nullif(sum(n_converted), 0) as downstream_rate
    from populations
    group by map_id, milestone_index, milestone_id, population
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
        persona as benchmark_group,
        sum(n_converted) / sum(n_entered) as rate
    from step_cells
    where persona <> '(no persona)'
    group by map_id, milestone_index, persona
    having sum(n_entered) >= $min_journeys
),

week_rates as (
    select
        map_id,
        milestone_index,
        entry_week::varchar as benchmark_group,
        sum(n_converted) / sum(n_entered) as rate
    from step_cells
    group by map_id, milestone_index, entry_week
    having sum(n_entered) >= $min_journeys
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
        greatest(benchmarks.benchmark_rate - steps.rate, 0)
        * steps.n_entered
        * coalesce(steps.downstream_rate, 0) as extra_conversions
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
        order by extra_conversions desc, milestone_index, benchmark
    ) as rank
from sized;
