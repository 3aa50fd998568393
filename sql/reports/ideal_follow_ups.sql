-- The ideal map's expected follow-ups (after A, unless B, C within T) with how often they came.
select
    f.follow_up_id,
    f.label,
    f.after_touchpoint,
    f.expect_touchpoint,
    f.within_seconds,
    s.n_due,
    s.n_done,
    s.n_missing,
    s.n_not_due,
    s.done_rate,
    s.done_rate_low,
    s.done_rate_high,
from map_follow_ups as f
left join follow_up_summary as s using (map_id, follow_up_id)
where f.map_id = $map_id
order by f.follow_up_id;
