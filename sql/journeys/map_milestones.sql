-- map_milestones: the milestones of each map in order (1-based), with the rule that finds them
-- in journey_rule_matches and the occurrence that counts (1 = first, 2 = second, ...).
-- window_seconds: the milestone's own window from the previous one; within_map_window: false
-- for a milestone after the endpoint with its own window, which that window alone bounds.
create or replace table map_milestones as
select unnest(cast($rows as struct(
    map_id varchar, milestone_index integer, milestone_id varchar, label varchar,
    touchpoint_id varchar, rule_id varchar, stage varchar, stage_index integer,
    occurrence integer, is_endpoint boolean, window_seconds bigint,
    within_map_window boolean
)[]), recursive := true);
