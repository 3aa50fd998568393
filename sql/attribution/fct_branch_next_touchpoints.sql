-- fct_branch_next_touchpoints: what customers did next on each branch: the distribution of the
-- first mapped touchpoint after the deciding event (within the next-touch horizon;
-- '(nothing)' when none), over closed anchors. share sums to 1 per (map, anchor, outcome).
create or replace table fct_branch_next_touchpoints as
with anchors as (
    select
        map_id,
        anchor_label,
        outcome,
        coalesce(next_touchpoint_id, '(nothing)') as next_touchpoint_id,
        epoch(next_at - decided_at) / 3600 as hours_to_next_touch
    from int_branch_anchors
    where is_closed
),

next_touchpoints as (
    select
        map_id,
        anchor_label,
        outcome,
        next_touchpoint_id,
        count(*) as n_anchors,
        median(hours_to_next_touch) as median_hours_to_next_touch
    from anchors
    group by map_id, anchor_label, outcome, next_touchpoint_id
)

select
    *,
    n_anchors / sum(n_anchors) over (partition by map_id, anchor_label, outcome) as share,
    row_number() over (
        partition by map_id, anchor_label, outcome
        order by n_anchors desc, next_touchpoint_id
    ) as rank
from next_touchpoints;
