-- The project's journey maps, as-is maps first.
select
    map_id,
    kind,
    title,
    persona_name,
from journey_maps
order by kind = 'ideal', map_id;
