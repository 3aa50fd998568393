-- One map's week-over-week tests (mature entry cohorts, from fct_funnel_week_over_week) with
-- each step named by its two milestones. step_index k >= 1 is the step from milestone k to
-- milestone k+1 (1-based milestone_index).
select
    w.dimension,
    w.segment,
    w.entry_week,
    w.step_index,
    m_from.milestone_id as from_milestone,
    w.milestone_id as to_milestone,
    w.entered,
    w.converted,
    w.rate,
    w.previous_week,
    w.previous_rate,
    w.change_vs_previous,
    w.q_vs_previous,
    w.significant_vs_previous,
    w.high_water_week,
    w.high_water_rate,
    w.change_vs_high_water,
    w.q_vs_high_water,
    w.significant_vs_high_water,
from fct_funnel_week_over_week as w
inner join map_milestones as m_from
    on m_from.map_id = w.map_id and m_from.milestone_index = w.step_index
where w.map_id = $map_id
order by w.entry_week, w.dimension, w.segment, w.step_index;
