-- map_touchpoints: the sticky notes of each map, in file order, with their stage and owner.
-- `required` is true when an (ideal) map lists the touchpoint under its stage's `required`.
create or replace table map_touchpoints as
select unnest(cast($rows as struct(
    map_id varchar, touchpoint_id varchar, touchpoint_index integer, label varchar,
    stage varchar, stage_index integer, department varchar, channel varchar, priority integer,
    required boolean
)[]), recursive := true);
