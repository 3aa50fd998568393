-- fct_branches: per map and anchor (an email campaign's delivery, a solved ticket), how the
-- closed anchors split by outcome, how soon something mapped followed, and how often the
-- journey then converted (with a 95 % Wilson interval). Built from int_branch_anchors.
create or replace table fct_branches as
with anchors as (
    select * from int_branch_anchors
    where is_closed
),

branches as (
    select
        map_id,
        anchor_kind,
        anchor_label,
        any_value(anchor_touchpoint_id) as anchor_touchpoint_id,
        outcome,
        count(*) as n_anchors,
        count(distinct customer_id) as n_customers,
        count(next_touchpoint_id) as n_with_next_touch,
        median(epoch(next_at - decided_at)) / 3600 as median_hours_to_next_touch,
        count(*) filter (where is_conversion_eligible) as n_conversion_eligible,
        count(*) filter (where is_conversion_eligible and converted_after) as n_converted
    from anchors
    group by map_id, anchor_kind, anchor_label, outcome
)

select
    *,
    n_anchors / sum(n_anchors) over (partition by map_id, anchor_label) as outcome_share,
    n_converted / nullif(n_conversion_eligible, 0) as conversion_rate,
    wilson_low(n_converted, n_conversion_eligible) as conversion_rate_low,
    wilson_high(n_converted, n_conversion_eligible) as conversion_rate_high
from branches;
