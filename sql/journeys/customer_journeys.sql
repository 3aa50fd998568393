-- customer_journeys: one row per customer per map (every customer of the map's persona).
--   milestones          every milestone in map order with its reach time (null: not reached)
--   journey_start_at    reach time of milestone 1; window_ends_at = start + the map's window
--   furthest_milestone  the last milestone k such that milestones 1..k were reached in order
--                       (each at or after the one before) and within their windows: the map
--                       window from milestone 1 and, if it has one, the milestone's own
--                       `window` from the one before it; a milestone after the endpoint with
--                       its own window is bound by that alone (within_map_window false).
--                       0 when milestone 1 was never reached.
--   endpoint_reached    furthest_milestone reached the endpoint; endpoint_at is its reach time
--   in_progress         started, endpoint not reached, and the deadline of the next milestone
--                       (the earliest of its windows' ends) is after as-of
--   stages_entered      first mapped event per stage; current_stage = the furthest stage (by
--                       stage order) entered up to as-of
--   stage_path          stages of the mapped events in time order (ties: event_key), with
--                       consecutive repeats collapsed; variant_id ranks the distinct paths of a
--                       map by customers (1 = most common, ties by the path's text)
--   first_touch_*       the customer's first mapped event
create or replace table customer_journeys as
with maps as (
    select
        map_id,
        window_seconds,
        as_of
    from journey_maps
),

map_customers as (
    select
        map_customers.map_id,
        map_customers.customer_id,
        customers.persona
    from map_customers
    inner join customers on customers.customer_id = map_customers.customer_id
),

milestone_grid as (
    select
        map_customers.map_id,
        map_customers.customer_id,
        milestones.milestone_index,
        milestones.milestone_id,
        milestones.is_endpoint,
        milestones.window_seconds as step_window_seconds,
        milestones.within_map_window,
        reached.reached_at
    from map_customers
    inner join map_milestones as milestones on milestones.map_id = map_customers.map_id
    left join customer_milestones as reached
        on reached.map_id = map_customers.map_id
        and reached.customer_id = map_customers.customer_id
        and reached.milestone_index = milestones.milestone_index
),

milestone_steps as (
    select
        milestone_grid.*,
        maps.as_of,
        min(reached_at) filter (where milestone_index = 1)
            over (partition by map_id, customer_id) as start_at,
        lag(reached_at) over (
            partition by map_id, customer_id order by milestone_index
        ) as previous_reached_at,
        maps.window_seconds
    from milestone_grid
    inner join maps using (map_id)
),

milestone_deadlines as (
    select
        *,
        case
            when step_window_seconds is null then start_at + to_seconds(window_seconds)
            when within_map_window then least(
                previous_reached_at + to_seconds(step_window_seconds),
                start_at + to_seconds(window_seconds))
            else previous_reached_at + to_seconds(step_window_seconds)
        end as deadline
    from milestone_steps
),

milestone_checks as (
    select
        *,
        reached_at is not null
        and (milestone_index = 1
             or (reached_at >= previous_reached_at and reached_at <= deadline)) as step_ok
    from milestone_deadlines
),

milestone_order as (
    select
        *,
        bool_and(step_ok) over (
            partition by map_id, customer_id order by milestone_index
            rows between unbounded preceding and current row
        ) as reached_in_order
    from milestone_checks
),

milestone_furthest as (
    select
        *,
        max(case when reached_in_order then milestone_index else 0 end)
            over (partition by map_id, customer_id) as furthest_milestone
    from milestone_order
),

milestone_summary as (
    select
        map_id,
        customer_id,
        list(struct_pack(milestone_id, reached_at) order by milestone_index) as milestones,
        any_value(start_at) as journey_start_at,
        any_value(start_at) + to_seconds(any_value(window_seconds)) as window_ends_at,
        any_value(furthest_milestone) as furthest_milestone,
        bool_or(is_endpoint and reached_in_order) as endpoint_reached,
        max(reached_at) filter (where is_endpoint and reached_in_order) as endpoint_at,
        max(deadline) filter (where milestone_index = furthest_milestone + 1) as next_deadline,
        any_value(as_of) as as_of
    from milestone_furthest
    group by map_id, customer_id
),

mapped_events as (
    select
        map_id,
        customer_id,
        event_seq,
        occurred_at,
        touchpoint_id,
        stage,
        stage_index,
        department,
        channel,
        source_system
    from journey_events
    where touchpoint_id is not null
),

stage_entries as (
    select
        map_id,
        customer_id,
        stage,
        stage_index,
        min(occurred_at) as entered_at
    from mapped_events
    group by all
),

stage_summary as (
    select
        map_id,
        customer_id,
        list(struct_pack(stage, entered_at) order by entered_at, stage_index) as stages_entered,
        arg_max(stage, stage_index) as current_stage
    from stage_entries
    group by all
),

stage_changes as (
    select
        map_id,
        customer_id,
        event_seq,
        stage,
        lag(stage) over (partition by map_id, customer_id order by event_seq) as previous_stage
    from mapped_events
),

stage_paths as (
    select
        map_id,
        customer_id,
        list(stage order by event_seq) as stage_path
    from stage_changes
    where previous_stage is distinct from stage
    group by all
),

variants as (
    select
        map_id,
        stage_path,
        row_number() over (
            partition by map_id
            order by count(*) desc, array_to_string(stage_path, ' > ')
        ) as variant_id
    from stage_paths
    group by map_id, stage_path
),

first_touches as (
    select
        map_id,
        customer_id,
        arg_min(source_system, event_seq) as first_touch_source,
        arg_min(channel, event_seq) as first_touch_channel,
        arg_min(department, event_seq) as first_touch_department,
        arg_min(touchpoint_id, event_seq) as first_touch_touchpoint
    from mapped_events
    group by all
)

select
    map_customers.map_id,
    map_customers.customer_id,
    map_customers.persona,
    milestone_summary.journey_start_at,
    cast(date_trunc('week', milestone_summary.journey_start_at) as date) as entry_week,
    milestone_summary.window_ends_at,
    milestone_summary.milestones,
    milestone_summary.furthest_milestone,
    coalesce(stage_summary.stages_entered, []) as stages_entered,
    stage_summary.current_stage,
    coalesce(stage_paths.stage_path, []) as stage_path,
    variants.variant_id,
    coalesce(milestone_summary.endpoint_reached, false) as endpoint_reached,
    milestone_summary.endpoint_at,
    coalesce(
        milestone_summary.journey_start_at is not null
        and not milestone_summary.endpoint_reached
        and milestone_summary.next_deadline > milestone_summary.as_of,
        false
    ) as in_progress,
    first_touches.first_touch_source,
    first_touches.first_touch_channel,
    first_touches.first_touch_department,
    first_touches.first_touch_touchpoint
from map_customers
inner join milestone_summary
    on milestone_summary.map_id = map_customers.map_id
    and milestone_summary.customer_id = map_customers.customer_id
left join stage_summary
    on stage_summary.map_id = map_customers.map_id
    and stage_summary.customer_id = map_customers.customer_id
left join stage_paths
    on stage_paths.map_id = map_customers.map_id
    and stage_paths.customer_id = map_customers.customer_id
left join variants
    on variants.map_id = stage_paths.map_id
    and variants.stage_path = stage_paths.stage_path
left join first_touches
    on first_touches.map_id = map_customers.map_id
    and first_touches.customer_id = map_customers.customer_id;
