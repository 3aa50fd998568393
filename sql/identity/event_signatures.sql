-- Scratch: events grouped by their identifiers ("signatures"). Every event with the same
-- identifiers carries the same edges and the same customer, so edges, identifier facts and the
-- customer lookup are computed once per signature instead of once per event. n_events,
-- first_event_at and last_event_at keep the event-level facts.
-- Two tables: identity_event_raw_signatures groups the identifier columns as stored in events,
-- so events can be joined back to their signature's customer (event_customers.sql), and
-- normalises each raw signature once instead of once per event; identity_event_signatures
-- groups those by the normalised identifiers, the unit every other step works on.
create or replace temp table identity_event_raw_signatures as
with events as (
    select * from events
),

raw_signatures as (
    select
        source_system,
        email_norm,
        user_id,
        anonymous_id,
        source_person_type,
        source_person_id,
        count(*)::bigint as n_events,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at
    from events
    group by
        source_system, email_norm, user_id, anonymous_id, source_person_type, source_person_id
),

-- The source person key takes its type from source_person_type, or `<source_system>_person`
-- when that is missing.
typed as (
    select
        *,
        coalesce(
            identity_norm_type(source_person_type), lower(source_system) || '_person'
        ) as person_type
    from raw_signatures
),

normalised as (
    select
        *,
        identity_norm_value('email', email_norm, $case_insensitive_types::varchar[])
            as norm_email,
        identity_norm_value('user_id', user_id, $case_insensitive_types::varchar[])
            as norm_user_id,
        identity_norm_value('anonymous_id', anonymous_id, $case_insensitive_types::varchar[])
            as norm_anonymous_id,
        identity_norm_value(person_type, source_person_id, $case_insensitive_types::varchar[])
            as person_value
    from typed
)

select * from normalised;

create or replace temp table identity_event_signatures as
with raw_signatures as (
    select * from identity_event_raw_signatures
),

signatures as (
    select
        source_system,
        norm_email as email,
        norm_user_id as user_id,
        norm_anonymous_id as anonymous_id,
        person_type,
        person_value,
        sum(n_events)::bigint as n_events,
        min(first_event_at) as first_event_at,
        max(last_event_at) as last_event_at
    from raw_signatures
    group by all
)

select * from signatures;
