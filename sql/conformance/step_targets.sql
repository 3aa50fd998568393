-- Per ideal map, per step into milestone k (from milestone k-1): actual against target, and the
-- gaps ranked by impact.
--   entered      journeys that reached milestone k-1 (in order, within the window)
--   converted    of those, reached k (furthest_milestone >= k)
--   open         reached k-1, not k, journey still in progress: neither converted nor lost
--   conversion_rate = converted / (entered - open), Wilson interval; mature journeys only (§4)
--   median_seconds  median of reached_at[k] - reached_at[k-1] over converted journeys
--   lost_vs_target  max(0, target_rate * (entered - open) - converted): customers lost against
--                   the target at this step
--   extra_endpoint_if_met  how many more would reach the endpoint if this step converted at its
--                   target and every later step up to the endpoint at its observed rate:
--                   max(0, target - actual) * (entered - open) * product of later observed rates.
--                   0 for steps after the endpoint.
-- Steps are ranked by extra_endpoint_if_met, then lost_vs_target (impact_rank 1 = fix first).
create or replace table step_targets as
with maps as (
    select map_id, endpoint_milestone from journey_maps where kind = 'ideal'
),

milestones as (
    select map_milestones.*
    from map_milestones
    inner join maps using (map_id)
),

journeys as (
    select customer_journeys.*
    from customer_journeys
    inner join maps using (map_id)
),

steps as (
    select
        milestones.map_id,
        milestones.milestone_index,
        milestones.milestone_id,
        count_if(journeys.furthest_milestone >= milestones.milestone_index - 1) as entered,
        count_if(journeys.furthest_milestone >= milestones.milestone_index) as converted,
        count_if(journeys.furthest_milestone = milestones.milestone_index - 1
                 and journeys.in_progress) as open,
        median(epoch(
            journeys.milestones[milestones.milestone_index].reached_at
            - journeys.milestones[milestones.milestone_index - 1].reached_at))
            filter (where journeys.furthest_milestone >= milestones.milestone_index)
            as median_seconds
    from milestones
    inner join journeys on journeys.map_id = milestones.map_id
    where milestones.milestone_index >= 2
    group by all
),

endpoints as (
    select map_id, milestone_index as endpoint_index
    from map_milestones
    where is_endpoint
),

with_targets as (
    select
        steps.*,
        steps.entered - steps.open as mature,
        steps.converted / nullif(steps.entered - steps.open, 0) as conversion_rate,
        targets.conversion_rate as target_rate,
        targets.median_time_seconds as target_median_seconds,
        endpoints.endpoint_index
    from steps
    left join map_targets as targets
        on targets.map_id = steps.map_id and targets.milestone_id = steps.milestone_id
    left join endpoints on endpoints.map_id = steps.map_id
),

later_rates as (
    -- product of the observed rates of the steps after k up to the endpoint (exp-sum-log; a
    -- zero rate makes the product 0)
    select
        a.map_id,
        a.milestone_index,
        case
            when bool_or(b.conversion_rate = 0) then 0
            else coalesce(exp(sum(ln(b.conversion_rate))), 1)
        end as later_rate
    from with_targets as a
    left join with_targets as b
        on b.map_id = a.map_id
        and b.milestone_index > a.milestone_index
        and b.milestone_index <= a.endpoint_index
    group by a.map_id, a.milestone_index
),

impacts as (
    -- no target, no gap: both stay null (greatest() would skip the null)
    select
        with_targets.*,
        case when with_targets.target_rate is not null then greatest(
            with_targets.target_rate * with_targets.mature - with_targets.converted, 0)
        end as lost_vs_target,
        case
            when with_targets.target_rate is null then null
            when with_targets.milestone_index <= with_targets.endpoint_index
                then greatest(with_targets.target_rate * with_targets.mature
                              - with_targets.converted, 0) * later_rates.later_rate
            else 0
        end as extra_endpoint_if_met
    from with_targets
    inner join later_rates using (map_id, milestone_index)
)

select
    map_id,
    milestone_index,
    milestone_id,
    entered,
    open,
    converted,
    conversion_rate,
    wilson_low(converted, mature) as conversion_rate_low,
    wilson_high(converted, mature) as conversion_rate_high,
    target_rate,
    conversion_rate - target_rate as conversion_gap,
    median_seconds,
    target_median_seconds,
    median_seconds - target_median_seconds as median_gap_seconds,
    lost_vs_target,
    extra_endpoint_if_met,
    row_number() over (
        partition by map_id
        order by extra_endpoint_if_met desc nulls last, lost_vs_target desc nulls last,
            milestone_index
    ) as impact_rank
from impacts;
