-- Extra endpoint conversions if a milestone step converted at a benchmark rate, biggest first.
select
    milestone_index,
    milestone_id,
    benchmark,
    benchmark_group,
    n_entered,
    rate,
    benchmark_rate,
    downstream_rate,
    extra_conversions,
from fct_opportunity_steps
where map_id = $map_id
order by extra_conversions desc, milestone_index, benchmark;
