-- Scratch: every identifier seen on an event or an identity link, aggregated, with the block
-- reason of the fixed rules (empty value, blocked placeholder value). block_pattern.sql then adds
-- the pattern rules, one statement per pattern, in rule order.
-- n_events counts events only; first/last seen cover events and link observations.
create or replace temp table identity_identifier_candidates as
with event_signatures as not materialized (
    select * from identity_event_signatures
),

link_observations as not materialized (
    select * from identity_link_observations
),

blocked_values as (
    select * from identity_rule_blocked_values
),

observations as (
    select
        'email' as identifier_type,
        email as identifier_value,
        source_system,
        first_event_at as first_seen_at,
        last_event_at as last_seen_at,
        n_events
    from event_signatures
    where email is not null
    union all
    select
        'user_id',
        user_id,
        source_system,
        first_event_at,
        last_event_at,
        n_events
    from event_signatures
    where user_id is not null
    union all
    select
        'anonymous_id',
        anonymous_id,
        source_system,
        first_event_at,
        last_event_at,
        n_events
    from event_signatures
    where anonymous_id is not null
    union all
    -- a source person key equal to another identifier of the event counts once
    select
        person_type,
        person_value,
        source_system,
        first_event_at,
        last_event_at,
        n_events
    from event_signatures
    where
        person_value is not null
        and not (person_type = 'email' and person_value is not distinct from email)
        and not (person_type = 'user_id' and person_value is not distinct from user_id)
        and not (person_type = 'anonymous_id' and person_value is not distinct from anonymous_id)
    union all
    select
        a_type,
        a_value,
        source_system,
        observed_at,
        observed_at,
        0
    from link_observations
    where a_type is not null and a_value is not null
    union all
    select
        b_type,
        b_value,
        source_system,
        observed_at,
        observed_at,
        0
    from link_observations
    where b_type is not null and b_value is not null
),

per_source as (
    select
        identifier_type,
        identifier_value,
        source_system,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        sum(n_events)::bigint as n_events
    from observations
    group by identifier_type, identifier_value, source_system
),

aggregated as (
    select
        identifier_type,
        identifier_value,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        sum(n_events)::bigint as n_events,
        coalesce(
            list(source_system order by source_system) filter (where source_system is not null),
            []::varchar[]
        ) as source_systems
    from per_source
    group by identifier_type, identifier_value
),

blocked as (
    select
        aggregated.*,
        case
            when aggregated.identifier_value = '' then 'empty'
            when blocked_values.blocked_value is not null then 'blocked_value'
        end as block_reason
    from aggregated
    left join blocked_values
        on lower(aggregated.identifier_value) = blocked_values.blocked_value
)

select * from blocked;
