-- Where customers who dropped at each step were last seen: their last mapped touchpoint, all
-- entry weeks together, top $top per step, with the touchpoint's sticky-note wording.
select
    d.step_index,
    s.milestone_id as from_milestone,
    s.next_milestone_id as to_milestone,
    d.touchpoint_id,
    coalesce(t.label, d.touchpoint_id) as touchpoint_label,
    t.department,
    d.persons,
    d.share,
    d.rank,
from fct_dropoff_last_touchpoints as d
inner join fct_dropoff_weekly as s
    on s.map_id = d.map_id and s.step_index = d.step_index and s.entry_week is null
left join map_touchpoints as t
    on t.map_id = d.map_id and t.touchpoint_id = d.touchpoint_id
where d.map_id = $map_id and d.entry_week is null and d.rank <= $top
order by d.step_index, d.rank;
