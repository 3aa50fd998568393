-- Ideal maps that have conformance results, with the as-is map each is the ideal of.
select
    m.map_id,
    m.title,
    m.ideal_of,
from journey_maps as m
where m.kind = 'ideal'
    and exists (select 1 from conformance_summary as s where s.map_id = m.map_id)
order by m.map_id;
