-- map_stages: the stages of each map in order; optional/repeatable/required matter on ideal maps.
create or replace table map_stages as
select unnest(cast($rows as struct(
    map_id varchar, stage varchar, stage_index integer, optional boolean, repeatable boolean,
    required_touchpoints varchar[]
)[]), recursive := true);
