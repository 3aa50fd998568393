-- One map's funnel results (the engine's fn_units / fn_unit_steps) as customer rows. Every
-- customer of the map's persona gets a row; status (docs/metrics.md#drop-off):
--   not_entered  never reached milestone 1
--   converted    reached the last milestone within the window
--   in_progress  not converted and entered_at + window is after as-of (right-censored)
--   dropped      not converted and the window has closed
insert into fct_funnel_persons
with results as (
    select
        units.person_id as customer_id,
        units.furthest,
        units.excluded,
        entry.reached_at as entered_at
    from fn_units as units
    left join fn_unit_steps as entry
        on entry.unit = units.unit
        and entry.step = 0
        and entry.reached
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
    cast(date_trunc('week', results.entered_at) as date) as entry_week,
    journeys.first_touch_channel,
    journeys.first_touch_source,
    journeys.first_touch_department,
    coalesce(results.furthest, -1) as furthest_step,
    coalesce(results.excluded, false) as excluded,
    results.entered_at,
    results.entered_at + to_seconds($window_seconds) as window_ends_at,
    case
        when coalesce(results.furthest, -1) < 0 then 'not_entered'
        when results.furthest = $last_step then 'converted'
        when results.entered_at + to_seconds($window_seconds) > as_of.as_of then 'in_progress'
        else 'dropped'
    end as status
from journeys
cross join as_of
left join results on results.customer_id = journeys.customer_id;

insert into fct_funnel_person_steps
select
    $map_id as map_id,
    units.person_id as customer_id,
    steps.step as step_index,
    milestones.milestone_id,
    steps.reached_at,
    steps.seconds as seconds_from_previous
from fn_unit_steps as steps
inner join fn_units as units on units.unit = steps.unit
inner join map_milestones as milestones
    on milestones.map_id = $map_id
    and milestones.milestone_index = steps.step + 1
where steps.reached;
