-- Maps with attribution results, as-is maps first.
select
    m.map_id,
    m.title,
from journey_maps as m
where exists (select 1 from fct_attribution_credits as c where c.map_id = m.map_id)
order by m.kind = 'ideal', m.map_id;
