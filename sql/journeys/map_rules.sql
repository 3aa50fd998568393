-- map_rules: every match rule of every map, compiled from the YAML. rule_id is
-- 'touchpoint:<id>', 'milestone:<id>' (event milestones), 'claim_say:<id>' or 'claim_do:<id>';
-- owner_id is the <id>.
-- A null list means "any". Precedence among touchpoint rules: priority desc, specificity desc,
-- rule_order asc (docs/metrics.md).
create or replace table map_rules as
select unnest(cast($rows as struct(
    map_id varchar, rule_id varchar, rule_kind varchar, owner_id varchar, rule_order integer, priority integer,
    specificity integer, sources varchar[], event_types varchar[], event_names varchar[],
    n_conditions integer
)[]), recursive := true);
