-- One map's stages in order.
select
    stage,
    stage_index,
    optional,
    repeatable,
from map_stages
where map_id = $map_id
order by stage_index;
