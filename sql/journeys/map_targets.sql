-- map_targets: target conversion rate and median time for the step into a milestone.
create or replace table map_targets as
select unnest(cast($rows as struct(
    map_id varchar, milestone_id varchar, milestone_index integer, conversion_rate double,
    median_time_seconds bigint
)[]), recursive := true);
