-- What customers who dropped at each step did next (first later event, as a touchpoint), all
-- entry weeks together, top $top per step.
select
    d.step_index,
    s.milestone_id as from_milestone,
    s.next_milestone_id as to_milestone,
    d.value as touchpoint_id,
    coalesce(t.label, d.value) as touchpoint_label,
    d.persons,
    d.share,
    d.rank,
from fct_dropoff_next_steps as d
inner join fct_dropoff_weekly as s
    on s.map_id = d.map_id and s.step_index = d.step_index and s.entry_week is null
left join map_touchpoints as t
    on t.map_id = d.map_id and t.touchpoint_id = d.value
where d.map_id = $map_id and d.entry_week is null and d.kind = 'touchpoint' and d.rank <= $top
order by d.step_index, d.rank;
