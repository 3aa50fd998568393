-- How many of one map's customers got at least as far as each milestone, in order and within
-- the map's window (customer_journeys.furthest_milestone), and the rate from the milestone
-- before. Customers still in progress count for the milestones they already reached.
with milestones as (
    select
        milestone_index,
        milestone_id,
        touchpoint_id,
        is_endpoint,
    from map_milestones
    where map_id = $map_id
),

journeys as (
    select furthest_milestone
    from customer_journeys
    where map_id = $map_id and journey_start_at is not null
),

reached as (
    select
        m.milestone_index,
        m.milestone_id,
        m.touchpoint_id,
        m.is_endpoint,
        count(j.furthest_milestone) as n_reached,
    from milestones as m
    left join journeys as j on j.furthest_milestone >= m.milestone_index
    group by all
)

select
    *,
    n_reached / nullif(lag(n_reached) over (order by milestone_index), 0) as rate_from_previous,
    n_reached / nullif(first_value(n_reached) over (order by milestone_index), 0) as rate_from_start,
from reached
order by milestone_index;
