-- int_attribution_paths: one row per journey per level (touchpoint, channel): the ordered path of
-- credited touches that led to the journey's outcome, and whether it converted.
-- Consecutive repeats of the same label collapse into one touch, timed at the run's last touch
-- (the most recent exposure before the next different touch), so that ten page views in a row
-- count once in linear credit, and the Markov graph has no self-loops (which would not change
-- its absorption probabilities anyway).
-- month / week: when the outcome became known (conversion time, or the end of the window for a
-- journey that did not convert); weeks start on Monday.
-- Each journey appears once per grain (all, persona, month, persona_month, week), with the
-- columns the grain does not split by set to null, so every model downstream simply groups by
-- (map_id, level, grain, persona, month, week) and each group is a complete population.
-- group_id numbers the groups in that key order, so later tables key on one column.
create or replace table int_attribution_paths as
with journeys as (
    select
        map_id,
        customer_id,
        coalesce(persona, '(no persona)') as persona,
        is_converted,
        outcome_at,
        date_trunc('month', outcome_at)::date as month,
        date_trunc('week', outcome_at)::date as week
    from int_attribution_journeys
),

levels as (
    select unnest(['touchpoint', 'channel']) as level
),

grains as (
    select * from (values
        ('all', false, false, false),
        ('persona', true, false, false),
        ('month', false, true, false),
        ('persona_month', true, true, false),
        ('week', false, false, true)
    ) as grains (grain, by_persona, by_month, by_week)
),

touches as (
    select
        map_id,
        customer_id,
        touch_seq,
        touched_at,
        'touchpoint' as level,
        touchpoint_id as label
    from int_attribution_touches
    union all
    select
        map_id,
        customer_id,
        touch_seq,
        touched_at,
        'channel' as level,
        coalesce(channel, '(no channel)') as label
    from int_attribution_touches
),

runs as (
    select
        *,
        lead(label) over (
            partition by map_id, customer_id, level order by touch_seq
        ) as next_label
    from touches
),

collapsed as (
    select * from runs
    where next_label is distinct from label
),

paths as (
    select
        map_id,
        customer_id,
        level,
        list(label order by touch_seq) as path,
        list(touched_at order by touch_seq) as touched_at
    from collapsed
    group by map_id, customer_id, level
),

journey_groups as (
    select
        journeys.map_id,
        levels.level,
        grains.grain,
        if(grains.by_persona, journeys.persona, null) as persona,
        if(grains.by_month, journeys.month, null) as month,
        if(grains.by_week, journeys.week, null) as week,
        journeys.customer_id,
        journeys.is_converted,
        journeys.outcome_at,
        coalesce(paths.path, []::varchar[]) as path,
        coalesce(paths.touched_at, []::timestamp[]) as touched_at
    from journeys
    cross join levels
    cross join grains
    left join paths
        on journeys.map_id = paths.map_id
        and journeys.customer_id = paths.customer_id
        and levels.level = paths.level
)

select
    dense_rank() over (
        order by map_id, level, grain, persona nulls first, month nulls first, week nulls first
    ) as group_id,
    *
from journey_groups;
