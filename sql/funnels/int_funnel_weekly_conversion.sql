-- int_funnel_weekly_conversion: per map, segment, weekly entry cohort and step k >= 1, step k's
-- closed cohort (as in fct_milestone_funnels: reached step k-1 and the deadline for step k is
-- by as-of): entered = how many, converted = how many of them reached step k, with the previous
-- calendar week's cohort and the high-water mark: the best earlier week's rate among weeks
-- where at least $min_hwm_persons reached step k-1 (ties: the earliest). Input of the
-- week-over-week tests (pipeline/funnels/week_over_week.py).
create or replace table int_funnel_weekly_conversion as
with entrants as (
    select *
    from fct_funnel_persons
    where furthest_step >= 0
),

segments as (
    -- every breakdown but the entry week itself, which is the cohort here
    select
        segments.*,
        entrants.entry_week
    from int_funnel_segments as segments
    inner join entrants
        on entrants.map_id = segments.map_id
        and entrants.customer_id = segments.customer_id
    where segments.dimension <> 'entry_week'
),

weekly as (
    select
        segments.map_id,
        segments.dimension,
        segments.segment,
        segments.entry_week,
        milestones.milestone_index - 1 as step_index,
        milestones.milestone_id,
        count(*) as entered,
        count_if(entrants.furthest_step >= milestones.milestone_index - 1) as converted
    from segments
    inner join entrants
        on entrants.map_id = segments.map_id
        and entrants.customer_id = segments.customer_id
    inner join map_milestones as milestones
        on milestones.map_id = segments.map_id
        and milestones.milestone_index >= 2
    inner join fct_funnel_person_steps as previous_step
        on previous_step.map_id = segments.map_id
        and previous_step.customer_id = segments.customer_id
        and previous_step.step_index = milestones.milestone_index - 2
    inner join journey_maps as maps on maps.map_id = segments.map_id
    where previous_step.next_deadline_at <= maps.as_of
    group by all
),

with_rates as (
    select *, converted / nullif(entered, 0) as rate
    from weekly
)

select
    this.*,
    previous.entry_week as previous_week,
    previous.entered as previous_entered,
    previous.converted as previous_converted,
    previous.rate as previous_rate,
    mark.entry_week as high_water_week,
    mark.entered as high_water_entered,
    mark.converted as high_water_converted,
    mark.rate as high_water_rate
from with_rates as this
left join with_rates as previous
    on previous.map_id = this.map_id
    and previous.dimension = this.dimension
    and previous.segment = this.segment
    and previous.step_index = this.step_index
    and previous.entry_week = this.entry_week - interval 7 day
left join lateral (
    select earlier.*
    from with_rates as earlier
    where earlier.map_id = this.map_id
        and earlier.dimension = this.dimension
        and earlier.segment = this.segment
        and earlier.step_index = this.step_index
        and earlier.entry_week < this.entry_week
        and earlier.entered >= $min_hwm_persons
    order by earlier.rate desc, earlier.entry_week
    limit 1
) as mark on true
order by this.map_id, this.dimension, this.segment, this.step_index, this.entry_week;
