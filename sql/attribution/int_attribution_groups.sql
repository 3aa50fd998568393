-- int_attribution_groups: the journeys and conversions behind each attribution group (map, level,
-- grain and the grain's persona / month / week).
-- Every model's credits in a group sum to n_conversions.
create or replace table int_attribution_groups as
select
    group_id,
    any_value(map_id) as map_id,
    any_value(level) as level,
    any_value(grain) as grain,
    any_value(persona) as persona,
    any_value(month) as month,
    any_value(week) as week,
    count(*) as n_journeys,
    count(*) filter (where is_converted) as n_conversions,
    count(*) filter (where is_converted and len(path) = 0) as n_conversions_without_touch
from int_attribution_paths
group by group_id;
