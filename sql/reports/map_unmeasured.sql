-- Touchpoints of one map that no event was assigned to, in map order.
select
    u.touchpoint_id,
    u.label,
    u.stage,
    u.department,
    u.channel,
    u.reason,
from map_coverage_unmeasured as u
left join map_touchpoints as t using (map_id, touchpoint_id)
where u.map_id = $map_id
order by t.stage_index, u.touchpoint_id;
