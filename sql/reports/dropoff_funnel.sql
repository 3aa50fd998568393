-- One map's milestone funnel for one breakdown dimension ('all', 'persona',
-- 'first_touch_channel', ...), from fct_milestone_funnels.
select
    segment,
    milestone_index,
    milestone_id,
    stage,
    persons,
    conversion_from_start,
    conversion_from_previous,
    conversion_from_previous_low,
    conversion_from_previous_high,
    mature_persons,
    mature_conversion_from_previous,
    in_progress,
    median_seconds,
from fct_milestone_funnels
where map_id = $map_id and dimension = $dimension
order by segment, milestone_index;
