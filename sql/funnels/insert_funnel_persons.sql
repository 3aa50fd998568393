-- One map's funnel results (the engine's fn_units / fn_unit_steps) as customer rows.
--
-- fct_funnel_person_steps: every step a customer reached, with next_deadline_at, the last
-- moment the next milestone could still count (docs/metrics.md#drop-off): entered_at + the
-- map's window, or the milestone's own window from this step's time, or the earlier of the
-- two when both bind it (within_map_window). Null at the last step.
insert into fct_funnel_person_steps
with reached as (
    select
        units.person_id as customer_id,
        steps.step,
        steps.reached_at,
        steps.seconds,
        min(steps.reached_at) filter (where steps.step = 0) over (partition by units.unit)
            as entered_at
    from fn_unit_steps as steps
    inner join fn_units as units on units.unit = steps.unit
    where steps.reached
),

milestones as (
    select *
    from map_milestones
    where map_id = $map_id
)

select
    $map_id as map_id,
    reached.customer_id,
    reached.step as step_index,
    milestones.milestone_id,
    reached.reached_at,
    reached.seconds as seconds_from_previous,
    case
        when next_milestone.milestone_index is null then null
        when next_milestone.window_seconds is null
            then reached.entered_at + to_seconds($window_seconds)
        when next_milestone.within_map_window is not false then least(
            reached.reached_at + to_seconds(next_milestone.window_seconds),
            reached.entered_at + to_seconds($window_seconds))
        else reached.reached_at + to_seconds(next_milestone.window_seconds)
    end as next_deadline_at
from reached
inner join milestones on milestones.milestone_index = reached.step + 1
left join milestones as next_milestone on next_milestone.milestone_index = reached.step + 2;

-- fct_funnel_persons: every customer of the map's persona; status:
--   not_entered  never reached milestone 1
--   converted    reached the last milestone within its windows
--   in_progress  not converted and the next milestone's deadline is after as-of
--                (right-censored: never a drop)
--   dropped      not converted and that deadline has passed
insert into fct_funnel_persons
with results as (
    select
        units.person_id as customer_id,
        units.furthest,
        units.excluded
    from fn_units as units
),

furthest_steps as (
    select
        customer_id,
        min(reached_at) filter (where step_index = 0) as entered_at,
        arg_max(next_deadline_at, step_index) as deadline_at
    from fct_funnel_person_steps
    where map_id = $map_id
    group by customer_id
),

journeys as (
    select *
    from customer_journeys
    where map_id = $map_id
),

as_of as (
    select max(as_of) as as_of
    from journey_maps
    where map_id = $map_id
)

select
    journeys.map_id,
    journeys.customer_id,
    journeys.persona,
    cast(date_trunc('week', furthest_steps.entered_at) as date) as entry_week,
    journeys.first_touch_channel,
    journeys.first_touch_source,
    journeys.first_touch_department,
    coalesce(results.furthest, -1) as furthest_step,
    coalesce(results.excluded, false) as excluded,
    furthest_steps.entered_at,
    furthest_steps.entered_at + to_seconds($window_seconds) as window_ends_at,
    case when results.furthest < $last_step then furthest_steps.deadline_at end as deadline_at,
    case
        when coalesce(results.furthest, -1) < 0 then 'not_entered'
        when results.furthest = $last_step then 'converted'
        when furthest_steps.deadline_at > as_of.as_of then 'in_progress'
        else 'dropped'
    end as status
from journeys
cross join as_of
left join results on results.customer_id = journeys.customer_id
left join furthest_steps on furthest_steps.customer_id = journeys.customer_id;
