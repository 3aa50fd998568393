-- int_dropoff_persons: the customers who dropped at step k, with the time they reached k (their
-- last milestone) and the deadline for step k+1 that passed (deadline_at: the map's window, or
-- the next milestone's own). The input of the drop-off detail tables.
create or replace table int_dropoff_persons as
select
    persons.map_id,
    persons.customer_id,
    persons.entry_week,
    persons.furthest_step as step_index,
    last_step.reached_at as last_milestone_at,
    persons.deadline_at
from fct_funnel_persons as persons
inner join fct_funnel_person_steps as last_step
    on last_step.map_id = persons.map_id
    and last_step.customer_id = persons.customer_id
    and last_step.step_index = persons.furthest_step
where persons.status = 'dropped';
