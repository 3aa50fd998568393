-- map_rule_conditions: the `where` conditions of each rule, one row each, with their values as
-- typed data (never SQL text). json_pointer reads the property from `properties` when it is not
-- a column.
create or replace table map_rule_conditions as
select unnest(cast($rows as struct(
    map_id varchar, rule_id varchar, condition_index integer, property varchar,
    json_pointer varchar, op varchar, text_values varchar[], number_values double[],
    pattern varchar, bound double, flag boolean
)[]), recursive := true);
