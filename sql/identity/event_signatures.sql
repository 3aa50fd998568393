-- Scratch: events grouped by their normalised identifiers and source system ("signatures"):
-- every event with the same identifiers carries the same edges and the same customer, so edges,
-- identifier facts and per-customer event counts are computed once per signature instead of once
-- per event. n_events, first_event_at and last_event_at keep the event-level facts.
create or replace temp table identity_event_signatures as
with event_identifiers as (
    select * from identity_event_identifiers($case_insensitive_types::varchar[])
),

signatures as (
    select
        source_system,
        email,
        user_id,
        anonymous_id,
        person_type,
        person_value,
        count(*)::bigint as n_events,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at
    from event_identifiers
    group by source_system, email, user_id, anonymous_id, person_type, person_value
)

select * from signatures;
