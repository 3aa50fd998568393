-- int_attribution_transitions: the first-order transition counts of each attribution group's
-- Markov chain. Every journey with at least one credited touch contributes
-- (start) -> t1 -> ... -> tn -> (conversion) or (null). Journeys without a touch are left out:
-- they would add the same amount to the conversion probability with and without any touchpoint,
-- so they change no share of the removal effect; their conversions go to '(no touch)'.
-- Counted once per distinct path, weighted by the number of journeys on it.
create or replace table int_attribution_transitions as
with distinct_paths as (
    select
        group_id,
        path,
        is_converted,
        count(*) as n_journeys
    from int_attribution_paths
    where len(path) > 0
    group by all
),

steps as (
    select
        group_id,
        n_journeys,
        unnest(['(start)'] || path) as from_state,
        unnest(path || [if(is_converted, '(conversion)', '(null)')]) as to_state
    from distinct_paths
)

select
    group_id,
    from_state,
    to_state,
    sum(n_journeys)::bigint as n_transitions
from steps
group by group_id, from_state, to_state;
