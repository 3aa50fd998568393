-- One map's Kaplan-Meier curves of the time from the first milestone to each later one, all
-- customers together (fct_time_to_milestone, dimension 'all').
select
    milestone_index,
    milestone_id,
    seconds,
    at_risk,
    conversions,
    cumulative_conversion,
    cumulative_conversion_low,
    cumulative_conversion_high
from fct_time_to_milestone
where map_id = $map_id and dimension = 'all'
order by milestone_index, seconds;
