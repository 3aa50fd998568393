-- fct_attribution_credits: conversions credited to each touchpoint (level touchpoint) or channel
-- (level channel) by every model, per map and grain (all, persona, month, persona_month, week).
-- Models: first_touch, last_touch, linear, position_based, time_decay (rule-based, from
-- int_attribution_rule_based_credits) and markov (the group's conversions with a touch, shared
-- in proportion to removal effects). In every group each model's credits sum to n_conversions.
create or replace table fct_attribution_credits as
with groups as (
    select * from int_attribution_groups
),

rule_based as (
    select
        group_id,
        model,
        label,
        credit
    from int_attribution_rule_based_credits
),

markov_touch as (
    select
        effects.group_id,
        'markov' as model,
        effects.label,
        effects.credit_share
        * (groups.n_conversions - groups.n_conversions_without_touch) as credit
    from fct_attribution_removal_effects as effects
    inner join groups
        on effects.group_id = groups.group_id
    where groups.n_conversions > groups.n_conversions_without_touch
),

markov_no_touch as (
    select
        group_id,
        'markov' as model,
        '(no touch)' as label,
        n_conversions_without_touch::double as credit
    from groups
    where n_conversions_without_touch > 0
),

credits as (
    select * from rule_based
    union all
    select * from markov_touch
    union all
    select * from markov_no_touch
)

select
    groups.map_id,
    groups.level,
    groups.grain,
    groups.persona,
    groups.month,
    groups.week,
    credits.model,
    credits.label,
    credits.credit,
    groups.n_conversions,
    credits.credit / nullif(groups.n_conversions, 0) as credit_share,
    groups.group_id
from credits
inner join groups
    on credits.group_id = groups.group_id;
