-- One map's drop-off per step (milestone k -> k+1) and entry week, from fct_dropoff_weekly.
-- entry_week is null on the all-weeks rows.
select
    entry_week,
    step_index,
    milestone_id as from_milestone,
    next_milestone_id as to_milestone,
    stage,
    entered,
    progressed,
    in_progress,
    dropped,
    closed,
    drop_off_rate,
    drop_off_rate_low,
    drop_off_rate_high,
from fct_dropoff_weekly
where map_id = $map_id
order by step_index, entry_week nulls first;
