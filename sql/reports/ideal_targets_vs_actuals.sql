-- Each milestone step's actual conversion and median time against the ideal map's target,
-- ranked by the extra endpoint customers meeting the target would bring (step_targets).
select
    milestone_index,
    milestone_id,
    entered,
    open,
    converted,
    conversion_rate,
    conversion_rate_low,
    conversion_rate_high,
    target_rate,
    conversion_gap,
    median_seconds,
    target_median_seconds,
    median_gap_seconds,
    lost_vs_target,
    extra_endpoint_if_met,
    impact_rank,
from step_targets
where map_id = $map_id
order by milestone_index;
