-- Outcome branches of one map's anchors (an email delivery, a solved ticket): how they split
-- and how often each branch's journey converted.
select
    anchor_label,
    outcome,
    n_anchors,
    outcome_share,
    n_conversion_eligible,
    n_converted,
    conversion_rate,
    conversion_rate_low,
    conversion_rate_high,
    median_hours_to_next_touch,
from fct_branches
where map_id = $map_id
order by anchor_label, n_anchors desc, outcome;
