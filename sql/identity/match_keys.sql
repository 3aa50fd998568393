-- Scratch: one row per identifier in person_map with a BIGINT match_key that orders identifiers
-- by how well they decide an event's customer: unshared before shared, then identifier
-- priority, then (identifier_type, identifier_value). The smallest match_key among an event's
-- identifiers wins. Integer keys keep the per-event lookups small.
create or replace temp table identity_match_keys as
with person_map as (
    select * from person_map
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        is_shared
    from identifiers
    where not is_blocked
),

priority as (
    select * from identity_rule_priority
),

ranked as (
    select
        person_map.identifier_type,
        person_map.identifier_value,
        person_map.customer_id,
        identifiers.is_shared,
        coalesce(priority.priority_rank, $default_priority_rank::integer) as priority_rank
    from person_map
    inner join identifiers
        on person_map.identifier_type = identifiers.identifier_type
        and person_map.identifier_value = identifiers.identifier_value
    left join priority
        on person_map.identifier_type = priority.identifier_type
),

keyed as (
    select
        identifier_type,
        identifier_value,
        customer_id,
        -- bit 61: is_shared; bits 40-60: priority rank; bits 0-39: (type, value) order
        (is_shared::bigint << 61)
        + (priority_rank::bigint << 40)
        + row_number() over (order by identifier_type, identifier_value) as match_key
    from ranked
)

select * from keyed;
