-- Per ideal map, per step into milestone k (from milestone k-1): actual against target, and the
-- gaps ranked by impact. The counts, rates and median times are the milestone funnel's
-- (int_milestone_step_conversion, segment 'all'), so this report agrees with the drop-off and
-- opportunity reports:
--   entered      reached milestone k-1
--   open         of them, the deadline for k is after as-of: not judged yet
--   converted    of the closed cohort (entered - open), reached k
--   conversion_rate = converted / (entered - open), Wilson interval
--   median_seconds  median time from k-1 to k over everyone who reached k
--   lost_vs_target  max(0, target_rate * (entered - open) - converted): customers lost against
--                   the target at this step
--   extra_endpoint_if_met  how many more would reach the endpoint if this step converted at its
--                   target and every later step up to the endpoint at its observed rate:
--                   lost_vs_target * rate_to_endpoint. 0 for steps after the endpoint; null
--                   without a target, or while a later step has no closed cohort.
-- Steps are ranked by extra_endpoint_if_met, then lost_vs_target (impact_rank 1 = fix first).
create or replace table step_targets as
with steps as (
    select steps.*
    from int_milestone_step_conversion as steps
    inner join journey_maps as maps
        on maps.map_id = steps.map_id
        and maps.kind = 'ideal'
    where steps.dimension = 'all'
),

with_targets as (
    select
        steps.*,
        targets.conversion_rate as target_rate,
        targets.median_time_seconds as target_median_seconds
    from steps
    left join map_targets as targets
        on targets.map_id = steps.map_id and targets.milestone_id = steps.milestone_id
),

losses as (
    -- no target, no gap: both stay null (greatest() would skip the null)
    select
        *,
        case when target_rate is not null then greatest(
            target_rate * mature_entered - converted, 0)
        end as lost_vs_target
    from with_targets
),

impacts as (
    select
        *,
        case
            when lost_vs_target is null then null
            when after_endpoint then 0.0
            else lost_vs_target * rate_to_endpoint
        end as extra_endpoint_if_met
    from losses
)

select
    map_id,
    milestone_index,
    milestone_id,
    entered,
    open,
    converted,
    conversion_rate,
    conversion_rate_low,
    conversion_rate_high,
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
