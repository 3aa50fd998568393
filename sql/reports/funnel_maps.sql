-- Maps that have a milestone funnel, as-is maps first (their funnels are the week's news).
select
    m.map_id,
    m.kind,
    m.title,
from journey_maps as m
where exists (select 1 from fct_milestone_funnels as f where f.map_id = m.map_id)
order by m.kind = 'ideal', m.map_id;
