-- map_follow_ups: "after touchpoint A, unless B, C should happen within T" (ideal maps).
create or replace table map_follow_ups as
select unnest(cast($rows as struct(
    map_id varchar, follow_up_id varchar, label varchar, after_touchpoint varchar,
    unless_touchpoint varchar, expect_touchpoint varchar, within_seconds bigint
)[]), recursive := true);
