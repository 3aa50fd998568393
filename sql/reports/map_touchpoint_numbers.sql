-- Every touchpoint of one map with what was measured for it: customers who had it (and their
-- share of the map's persona customers), events, first and last seen. Touchpoints nobody had
-- keep their row with zero customers: they are the map's unmeasured sticky notes. Counted from
-- journey_events, because touchpoint_inventory splits a touchpoint by source and event type and
-- distinct customers cannot be added across those rows.
with persona_customers as (
    select count(*) as n_customers
    from customer_journeys
    where map_id = $map_id
),

inventory as (
    select
        touchpoint_id,
        count(*) as n_events,
        count(distinct customer_id) as n_customers,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at,
    from journey_events
    where map_id = $map_id and touchpoint_id is not null
    group by touchpoint_id
),

milestones as (
    select
        touchpoint_id,
        min(milestone_index) as milestone_index,
        string_agg(milestone_id, ', ' order by milestone_index) as milestone_ids,
    from map_milestones
    where map_id = $map_id and touchpoint_id is not null
    group by touchpoint_id
)

select
    t.touchpoint_id,
    t.label,
    t.stage,
    t.stage_index,
    t.department,
    t.channel,
    t.required,
    coalesce(i.n_customers, 0) as n_customers,
    coalesce(i.n_events, 0) as n_events,
    coalesce(i.n_customers, 0) / nullif(p.n_customers, 0) as share_of_customers,
    i.first_seen_at,
    i.last_seen_at,
    m.milestone_index,
    m.milestone_ids,
from map_touchpoints as t
cross join persona_customers as p
left join inventory as i using (touchpoint_id)
left join milestones as m using (touchpoint_id)
where t.map_id = $map_id
order by t.stage_index, t.department, t.touchpoint_id;
