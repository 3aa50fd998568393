-- Events several touchpoint rules matched, by the set of rules (precedence order); the first
-- rule got them.
select
    array_to_string(matched_touchpoints, ' > ') as matched_touchpoints,
    assigned_touchpoint,
    n_events,
from map_coverage_overlaps
where map_id = $map_id
order by n_events desc, matched_touchpoints;
