-- fct_time_to_milestone: the Kaplan-Meier curve of the time from entry (milestone 1) to each
-- later milestone k, per map and segment (int_funnel_segments), so that
-- customers still in progress count for as long as they have been watched (metric-semantics
-- §4, docs/metrics.md#time-to-milestone).
--   observation  every entrant: reached k -> a conversion at reached_at - entered_at; still
--                in progress (deadline_at after as-of) -> censored at as_of - entered_at;
--                dropped (deadline passed: they can never reach k) -> at risk at every time
--                (censored at +infinity). With one journey window this is the reference's
--                censoring at min(as_of, t0 + W): nobody converts after t0 + W. With a
--                milestone's own window (a repeat order within 180 days of the first) it keeps
--                the early drop-outs in the risk set instead of treating them as customers
--                who might still convert later.
--   one row per distinct conversion time t_i (seconds since entry):
--     at_risk (n_i)      observations with time >= t_i (censored at t_i count as at risk)
--     conversions (d_i)  conversions at t_i; censored: censored at t_i
--     survival           S(t_i) = prod over t_j <= t_i of (1 - d_j / n_j)
--     cumulative_conversion = 1 - S(t_i), with a 95% interval from Greenwood's variance on the
--                        log(-log S) scale (null once S is 0 or 1)
create or replace table fct_time_to_milestone as
with entrants as (
    select
        persons.*,
        maps.as_of
    from fct_funnel_persons as persons
    inner join journey_maps as maps on maps.map_id = persons.map_id
    where persons.furthest_step >= 0
),

segments as (
    select *
    from int_funnel_segments
),

steps as (
    select
        map_id,
        milestone_index - 1 as step_index,
        milestone_id
    from map_milestones
    where milestone_index >= 2
),

observations as (
    select
        segments.map_id,
        segments.dimension,
        segments.segment,
        steps.step_index,
        steps.milestone_id,
        reached.reached_at is not null as converted,
        case
            when reached.reached_at is not null
                then epoch(reached.reached_at - entrants.entered_at)
            when entrants.status = 'in_progress'
                then epoch(entrants.as_of - entrants.entered_at)
            else 'infinity'::double
        end as seconds
    from segments
    inner join entrants
        on entrants.map_id = segments.map_id
        and entrants.customer_id = segments.customer_id
    inner join steps on steps.map_id = segments.map_id
    left join fct_funnel_person_steps as reached
        on reached.map_id = segments.map_id
        and reached.customer_id = segments.customer_id
        and reached.step_index = steps.step_index
),

event_times as (
    select
        map_id,
        dimension,
        segment,
        step_index,
        milestone_id,
        seconds,
        count_if(converted) as conversions,
        count_if(not converted) as censored
    from observations
    group by all
),

at_risk as (
    select
        *,
        sum(conversions + censored) over (
            partition by map_id, dimension, segment, step_index
            order by seconds desc
            rows between unbounded preceding and current row
        ) as at_risk
    from event_times
),

products as (
    select
        *,
        bool_or(conversions = at_risk) over curve as emptied,
        sum(ln(1 - conversions / at_risk)) filter (where conversions < at_risk) over curve
            as log_survival,
        sum(conversions / (at_risk * (at_risk - conversions)))
            filter (where conversions < at_risk) over curve as greenwood
    from at_risk
    window curve as (
        partition by map_id, dimension, segment, step_index
        order by seconds
        rows between unbounded preceding and current row
    )
),

curve as (
    select
        *,
        -- rounded so that a product of exact halves is 0.5, not 0.4999999999999999 (the
        -- median is the first time S <= 0.5)
        case when emptied then 0.0 else round(exp(coalesce(log_survival, 0)), 12) end
            as survival
    from products
    where conversions > 0
),

intervals as (
    select
        *,
        -- log(-log S) has standard error sqrt(greenwood) / |log S|
        case when survival > 0 and survival < 1
            then 1.959963984540054 * sqrt(greenwood) / abs(ln(survival)) end as half_width
    from curve
)

select
    map_id,
    dimension,
    segment,
    step_index,
    step_index + 1 as milestone_index,
    milestone_id,
    seconds,
    at_risk,
    conversions,
    censored,
    survival,
    1 - survival as cumulative_conversion,
    1 - pow(survival, exp(-half_width)) as cumulative_conversion_low,
    1 - pow(survival, exp(half_width)) as cumulative_conversion_high
from intervals
order by map_id, dimension, segment, step_index, seconds;
