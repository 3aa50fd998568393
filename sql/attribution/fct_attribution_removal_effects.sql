-- fct_attribution_removal_effects: the Markov model of each attribution group. For every
-- touchpoint (or channel): the chain's conversion probability from start, the probability with
-- that state removed (its inbound transitions sent to null), removal_effect = 1 - without / with,
-- and credit_share = its removal effect over the group's sum. Solved in pipeline/markov.py from
-- int_attribution_transitions; this statement types the solver's frame and labels its groups.
create or replace table fct_attribution_removal_effects as
with solved as (
    select
        group_id::bigint as group_id,
        label::varchar as label,
        conversion_probability::double as conversion_probability,
        conversion_probability_without::double as conversion_probability_without,
        removal_effect::double as removal_effect,
        credit_share::double as credit_share
    from markov_removal_effects_frame
)

select
    groups.map_id,
    groups.level,
    groups.grain,
    groups.persona,
    groups.month,
    groups.week,
    solved.*
from solved
inner join int_attribution_groups as groups
    on solved.group_id = groups.group_id;
