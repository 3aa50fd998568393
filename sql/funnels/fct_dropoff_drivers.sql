-- fct_dropoff_drivers: what separates customers who progressed from step k to k+1 from those who
-- dropped at k, by PostHog's correlation rule (metric-semantics §3), per map, step and entry
-- week (null = all weeks).
--   population  step k's closed cohort (reached k, deadline for k+1 by as-of, as in
--               fct_dropoff_weekly): progressed (success, S) or dropped (failure, F);
--               in-progress customers are left out
--   signals     event types, touchpoints, (event type, event name) pairs, and person
--               properties (persona, first-touch channel); milestone event types and
--               touchpoints are left out
--   counting    an event counts strictly after the customer reached step k and strictly
--               before step k+1 (success) or the deadline for k+1 (failure: the map's window,
--               or the next milestone's own window from step k); s_e, f_e = distinct
--               persons
--   odds ratio  ((s_e + 1)(F - f_e + 1)) / ((S - s_e + 1)(f_e + 1)); > 1 success signal
--   kept        s_e + f_e >= min(25, 0.02 (S + F)); event-property signals also s_e + f_e > 2;
--               none when S = 0 or F = 0; the top 10 success (odds ratio descending) and top 10
--               failure (ascending). skewed: S/F > 10 or F/S > 10.
create or replace table fct_dropoff_drivers as
with population as (
    select
        persons.map_id,
        persons.customer_id,
        persons.entry_week,
        persons.persona,
        persons.first_touch_channel,
        at_step.step_index,
        persons.furthest_step > at_step.step_index as is_success,
        at_step.reached_at as stage_entered_at,
        coalesce(next_step.reached_at, at_step.next_deadline_at) as counted_until
    from fct_funnel_persons as persons
    inner join journey_maps as maps on maps.map_id = persons.map_id
    inner join fct_funnel_person_steps as at_step
        on at_step.map_id = persons.map_id
        and at_step.customer_id = persons.customer_id
    left join fct_funnel_person_steps as next_step
        on next_step.map_id = persons.map_id
        and next_step.customer_id = persons.customer_id
        and next_step.step_index = at_step.step_index + 1
    where at_step.step_index < (
            select max(milestone_index) - 1 from map_milestones as m
            where m.map_id = persons.map_id)
        and at_step.next_deadline_at <= maps.as_of
),

milestone_event_types as (
    select distinct
        milestones.map_id,
        events.event_type
    from customer_milestones as milestones
    inner join journey_events as events
        on events.map_id = milestones.map_id
        and events.event_key = milestones.event_key
),

milestone_touchpoints as (
    select map_id, touchpoint_id
    from map_milestones
    where touchpoint_id is not null
),

window_events as (
    select
        population.map_id,
        population.customer_id,
        population.entry_week,
        population.step_index,
        population.is_success,
        events.event_type,
        events.touchpoint_id,
        events.event_name_raw
    from population
    inner join journey_events as events
        on events.map_id = population.map_id
        and events.customer_id = population.customer_id
        and events.occurred_at > population.stage_entered_at
        and events.occurred_at < population.counted_until
    where events.event_type not in (
        select event_type from milestone_event_types as m where m.map_id = population.map_id)
),

signals as (
    select map_id, customer_id, entry_week, step_index, is_success,
        'event_type' as signal_kind, event_type as signal
    from window_events
    union
    select map_id, customer_id, entry_week, step_index, is_success,
        'touchpoint', touchpoint_id
    from window_events
    where touchpoint_id is not null
        and touchpoint_id not in (
            select touchpoint_id from milestone_touchpoints as m
            where m.map_id = window_events.map_id)
    union
    select map_id, customer_id, entry_week, step_index, is_success,
        'event_property', event_type || ' · event_name = ' || event_name_raw
    from window_events
    where event_name_raw is not null
    union
    select map_id, customer_id, entry_week, step_index, is_success,
        'person_property', 'persona = ' || coalesce(persona, '')
    from population
    union
    select map_id, customer_id, entry_week, step_index, is_success,
        'person_property', 'first_touch_channel = ' || coalesce(first_touch_channel, '')
    from population
),

totals as (
    select
        map_id,
        entry_week,
        step_index,
        count(distinct customer_id) filter (where is_success) as successes,
        count(distinct customer_id) filter (where not is_success) as failures
    from population
    group by grouping sets ((map_id, entry_week, step_index), (map_id, step_index))
),

signal_counts as (
    select
        map_id,
        entry_week,
        step_index,
        signal_kind,
        signal,
        count(distinct customer_id) filter (where is_success) as success_persons,
        count(distinct customer_id) filter (where not is_success) as failure_persons
    from signals
    group by grouping sets ((map_id, entry_week, step_index, signal_kind, signal),
                            (map_id, step_index, signal_kind, signal))
),

scored as (
    select
        signal_counts.*,
        totals.successes,
        totals.failures,
        (signal_counts.success_persons + 1.0) * (totals.failures - signal_counts.failure_persons + 1)
        / ((totals.successes - signal_counts.success_persons + 1.0)
           * (signal_counts.failure_persons + 1)) as odds_ratio,
        totals.successes > 10 * totals.failures or totals.failures > 10 * totals.successes
            as skewed
    from signal_counts
    inner join totals
        on totals.map_id = signal_counts.map_id
        and totals.entry_week is not distinct from signal_counts.entry_week
        and totals.step_index = signal_counts.step_index
    where totals.successes > 0
        and totals.failures > 0
        and signal_counts.success_persons + signal_counts.failure_persons
            >= least(25, 0.02 * (totals.successes + totals.failures))
        and (signal_counts.signal_kind <> 'event_property'
             or signal_counts.success_persons + signal_counts.failure_persons > 2)
),

ranked as (
    select
        *,
        case when odds_ratio > 1 then 'success' else 'failure' end as direction,
        row_number() over (
            partition by map_id, entry_week, step_index, odds_ratio > 1
            order by case when odds_ratio > 1 then -odds_ratio else odds_ratio end,
                signal_kind, signal
        ) as rank
    from scored
)

select
    map_id,
    entry_week,
    step_index,
    direction,
    rank,
    signal_kind,
    signal,
    success_persons,
    failure_persons,
    successes,
    failures,
    odds_ratio,
    skewed
from ranked
where rank <= 10
order by map_id, step_index, entry_week nulls first, direction desc, rank;
