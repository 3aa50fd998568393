-- One map's milestones as funnel events: each reached milestone is an event named by its id.
-- A customer reaches each milestone once; ties on reached_at keep map order.
create or replace temp table int_funnel_milestone_events as
select
    customer_id as person_id,
    milestone_id as event,
    reached_at as timestamp,
    milestone_index as event_order
from customer_milestones
where map_id = $map_id;
