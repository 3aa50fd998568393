-- map_claims: say-versus-do pairs. The say events are journey_rule_matches of say_rule_id;
-- do_kind says how to read do_targets (milestone ids, touchpoint ids, a claim_do rule id, a
-- channel for mostly_on, nothing for next_milestone).
create or replace table map_claims as
select unnest(cast($rows as struct(
    map_id varchar, claim_id varchar, label varchar, say_rule_id varchar,
    say_touchpoint_id varchar, do_kind varchar, do_targets varchar[], do_within_seconds bigint,
    do_absent boolean, versus_channels varchar[]
)[]), recursive := true);
