-- Handoffs per map: consecutive mapped touchpoints (journey_events order) owned by different
-- departments. One row per (from_department, to_department) with level 'department', and one
-- per touchpoint pair inside it with level 'touchpoint':
--   n_handoffs          occurrences,  n_customers  customers with at least one
--   median_latency_seconds  time between the two touchpoints, over occurrences
--   at_risk             customers whose first such handoff came before they reached the endpoint
--                       (or who never did), leaving out journeys still in progress
--   dropped             of those, never reached the endpoint: the drop that follows the handoff
--   drop_rate = dropped / at_risk, with its Wilson interval
-- Ranked within each level by dropped customers, then latency (handoff_rank 1 = the most
-- customers lost after it).
create or replace table department_handoffs as
with mapped as (
    select map_id, customer_id, event_seq, occurred_at, touchpoint_id, department
    from journey_events
    where touchpoint_id is not null
),

pairs as (
    select
        map_id,
        customer_id,
        department as from_department,
        touchpoint_id as from_touchpoint,
        lead(department) over w as to_department,
        lead(touchpoint_id) over w as to_touchpoint,
        lead(occurred_at) over w as handed_at,
        epoch(lead(occurred_at) over w - occurred_at) as latency_seconds
    from mapped
    window w as (partition by map_id, customer_id order by event_seq)
),

handoffs as (
    select * from pairs
    where to_department is not null and to_department <> from_department
),

journeys as (
    select map_id, customer_id, in_progress, endpoint_reached, endpoint_at
    from customer_journeys
),

per_customer as (
    select
        handoffs.map_id,
        handoffs.customer_id,
        handoffs.from_department,
        handoffs.to_department,
        handoffs.from_touchpoint,
        handoffs.to_touchpoint,
        min(handoffs.handed_at) as first_at
    from handoffs
    group by all
),

outcomes as (
    select
        per_customer.*,
        not journeys.in_progress
            and (not journeys.endpoint_reached or per_customer.first_at <= journeys.endpoint_at)
            as is_at_risk,
        not journeys.in_progress and not journeys.endpoint_reached as is_dropped
    from per_customer
    inner join journeys using (map_id, customer_id)
),

touchpoint_latency as (
    select
        map_id,
        from_department,
        to_department,
        from_touchpoint,
        to_touchpoint,
        count(*) as n_handoffs,
        median(latency_seconds) as median_latency_seconds
    from handoffs
    group by all
),

touchpoint_level as (
    select
        touchpoint_latency.map_id,
        'touchpoint' as level,
        touchpoint_latency.from_department,
        touchpoint_latency.to_department,
        touchpoint_latency.from_touchpoint,
        touchpoint_latency.to_touchpoint,
        touchpoint_latency.n_handoffs,
        count(*) as n_customers,
        touchpoint_latency.median_latency_seconds,
        count_if(outcomes.is_at_risk) as at_risk,
        count_if(outcomes.is_at_risk and outcomes.is_dropped) as dropped
    from touchpoint_latency
    inner join outcomes
        using (map_id, from_department, to_department, from_touchpoint, to_touchpoint)
    group by all
),

department_customers as (
    -- a customer's first handoff between two departments, whatever the touchpoints
    select
        map_id,
        customer_id,
        from_department,
        to_department,
        bool_or(is_at_risk) filter (where first_at = first_first_at) as is_at_risk,
        any_value(is_dropped) as is_dropped
    from (
        select *, min(first_at) over (
            partition by map_id, customer_id, from_department, to_department
        ) as first_first_at
        from outcomes
    )
    group by all
),

department_latency as (
    select
        map_id,
        from_department,
        to_department,
        count(*) as n_handoffs,
        median(latency_seconds) as median_latency_seconds
    from handoffs
    group by all
),

department_level as (
    select
        department_latency.map_id,
        'department' as level,
        department_latency.from_department,
        department_latency.to_department,
        null as from_touchpoint,
        null as to_touchpoint,
        department_latency.n_handoffs,
        count(*) as n_customers,
        department_latency.median_latency_seconds,
        count_if(department_customers.is_at_risk) as at_risk,
        count_if(department_customers.is_at_risk and department_customers.is_dropped) as dropped
    from department_latency
    inner join department_customers using (map_id, from_department, to_department)
    group by all
),

levels as (
    select * from department_level
    union all
    select * from touchpoint_level
)

select
    *,
    dropped / nullif(at_risk, 0) as drop_rate,
    wilson_low(dropped, at_risk) as drop_rate_low,
    wilson_high(dropped, at_risk) as drop_rate_high,
    row_number() over (
        partition by map_id, level
        order by dropped desc, median_latency_seconds desc, from_department, to_department,
            from_touchpoint, to_touchpoint
    ) as handoff_rank
from levels;
