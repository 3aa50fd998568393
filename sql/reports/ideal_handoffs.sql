-- Department handoffs ranked by the customers lost after them.
select
    level,
    from_department,
    to_department,
    from_touchpoint,
    to_touchpoint,
    n_handoffs,
    n_customers,
    median_latency_seconds,
    at_risk,
    dropped,
    drop_rate,
    drop_rate_low,
    drop_rate_high,
    handoff_rank,
from department_handoffs
where map_id = $map_id
order by level, handoff_rank;
