-- One map's time-to-milestone summary, all customers together (fct_time_to_milestone_summary).
select
    milestone_index,
    milestone_id,
    entrants,
    converted,
    in_progress,
    conversion_to_date,
    km_conversion,
    km_conversion_low,
    km_conversion_high,
    km_median_seconds
from fct_time_to_milestone_summary
where map_id = $map_id and dimension = 'all'
order by milestone_index;
