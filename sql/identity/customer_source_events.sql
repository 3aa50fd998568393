-- Scratch: attributed events per (customer_id, source_system), with unattributed events under a
-- null customer_id. The same lookup as event_customers.sql, made once per event signature, so
-- customers and identity_audit_sources never join event_customers back to events.
create or replace temp table identity_customer_source_events as
with event_identifiers as (
    select * from identity_event_signatures
),

match_keys as (
    select * from identity_match_keys
),

matched as (
    select
        events.source_system,
        events.n_events,
        events.first_event_at,
        events.last_event_at,
        least(
            by_email.match_key,
            by_user_id.match_key,
            by_anonymous_id.match_key,
            by_person.match_key
        ) as match_key
    from event_identifiers as events
    left join match_keys as by_email
        on by_email.identifier_type = 'email'
        and events.email = by_email.identifier_value
    left join match_keys as by_user_id
        on by_user_id.identifier_type = 'user_id'
        and events.user_id = by_user_id.identifier_value
    left join match_keys as by_anonymous_id
        on by_anonymous_id.identifier_type = 'anonymous_id'
        and events.anonymous_id = by_anonymous_id.identifier_value
    left join match_keys as by_person
        on events.person_type = by_person.identifier_type
        and events.person_value = by_person.identifier_value
),

per_match_key as (
    select
        match_key,
        source_system,
        sum(n_events) as n_events,
        min(first_event_at) as first_event_at,
        max(last_event_at) as last_event_at
    from matched
    group by match_key, source_system
),

final as (
    select
        match_keys.customer_id,
        per_match_key.source_system,
        sum(per_match_key.n_events)::bigint as n_events,
        min(per_match_key.first_event_at) as first_event_at,
        max(per_match_key.last_event_at) as last_event_at
    from per_match_key
    left join match_keys
        on per_match_key.match_key = match_keys.match_key
    group by match_keys.customer_id, per_match_key.source_system
)

select * from final;
