-- int_attribution_rule_based_credits: conversions credited to each touchpoint (or channel) by each
-- rule-based model, per attribution group (map, level, grain, persona, month).
-- Rule-based credits are computed once per distinct path (weighted by how many journeys took
-- it), except time decay, which depends on each journey's touch times.
-- A conversion with no credited touch goes to '(no touch)' in every model, so each model's credits
-- sum to the number of conversions. Per-path credits are cast to DECIMAL before summing so the
-- sums are exact and do not depend on the order threads add them up in.
create or replace table int_attribution_rule_based_credits as
with converted_paths as (
    select
        group_id,
        case when len(path) = 0 then ['(no touch)'] else path end as path,
        count(*) as n_conversions
    from int_attribution_paths
    where is_converted
    group by all
),

positions as (
    select
        group_id,
        n_conversions,
        len(path) as n_touches,
        unnest(path) as label,
        unnest(range(1, len(path) + 1)) as position
    from converted_paths
),

position_weights as (
    select
        *,
        (position = 1)::int::double as first_touch,
        (position = n_touches)::int::double as last_touch,
        1.0 / n_touches as linear,
        case
            when n_touches = 1 then 1.0
            when n_touches = 2 and position = 1 then $first_weight / ($first_weight + $last_weight)
            when n_touches = 2 then $last_weight / ($first_weight + $last_weight)
            when position = 1 then $first_weight
            when position = n_touches then $last_weight
            else (1.0 - $first_weight - $last_weight) / (n_touches - 2)
        end as position_based
    from positions
),

path_credits as (
    unpivot position_weights
    on first_touch, last_touch, linear, position_based
    into name model value weight
),

time_decay_journeys as (
    select
        group_id,
        case when len(path) = 0 then ['(no touch)'] else path end as path,
        case
            when len(path) = 0 then [1.0]
            else list_transform(
                touched_at,
                lambda t: pow(2.0, -(epoch(outcome_at) - epoch(t)) / $half_life_seconds::double)
            )
        end as decay
    from int_attribution_paths
    where is_converted
),

time_decay_touches as (
    select
        group_id,
        unnest(path) as label,
        unnest(decay) / list_sum(decay) as weight
    from time_decay_journeys
),

group_credits as (
    select
        group_id,
        model,
        label,
        sum((n_conversions * weight)::decimal(38, 15)) as credit
    from path_credits
    group by all
    union all
    select
        group_id,
        'time_decay' as model,
        label,
        sum(weight::decimal(38, 15)) as credit
    from time_decay_touches
    group by all
)

select
    group_id,
    model,
    label,
    credit::double as credit
from group_credits;
