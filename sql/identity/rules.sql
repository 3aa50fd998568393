-- The identity rules of one build as small connection-local tables, from the IdentityRules model
-- (pipeline/identity_rules.py, IdentityRules.sql_params). Every value arrives as a parameter.
create or replace temp table identity_rule_blocked_values as
with listed as (
    select unnest($blocked_values::varchar[]) as blocked_value
)

select distinct lower(trim(blocked_value)) as blocked_value
from listed;

create or replace temp table identity_rule_hub_limits as
select
    unnest($hub_types::varchar[]) as identifier_type,
    unnest($hub_other_types::varchar[]) as other_type,
    unnest($hub_max_distinct::integer[]) as max_distinct;

create or replace temp table identity_rule_priority as
select
    unnest($priority_types::varchar[]) as identifier_type,
    unnest($priority_ranks::integer[]) as priority_rank;
