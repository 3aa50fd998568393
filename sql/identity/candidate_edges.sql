-- Scratch: every candidate edge before the guards, deduplicated to one row per
-- (a, b, edge_kind, source_system) with its observation count and first observation.
-- Ends are in canonical order: (a_type, a_value) sorts before (b_type, b_value).
-- Event edges: every pair of distinct identifiers on one event, read as the six column pairs
-- of the event signatures (login for anonymous_id with user_id, same_record otherwise); an
-- event edge counts one observation per event. Link edges: identity_links as given, one
-- observation per link row. check_reason is set for link rows that can never be edges (an end
-- missing, or both ends the same identifier).
create or replace temp table identity_candidate_edges as
with event_identifiers as not materialized (
    select * from identity_event_signatures
),

link_observations as (
    select * from identity_link_observations
),

event_pairs as not materialized (
    select
        'anonymous_id' as x_type,
        anonymous_id as x_value,
        'email' as y_type,
        email as y_value,
        source_system,
        n_events,
        first_event_at
    from event_identifiers
    where anonymous_id is not null and email is not null
    union all
    select
        'anonymous_id',
        anonymous_id,
        'user_id',
        user_id,
        source_system,
        n_events,
        first_event_at
    from event_identifiers
    where anonymous_id is not null and user_id is not null
    union all
    select
        'email',
        email,
        'user_id',
        user_id,
        source_system,
        n_events,
        first_event_at
    from event_identifiers
    where email is not null and user_id is not null
    union all
    select
        'anonymous_id',
        anonymous_id,
        person_type,
        person_value,
        source_system,
        n_events,
        first_event_at
    from event_identifiers
    where anonymous_id is not null and person_value is not null
    union all
    select
        'email',
        email,
        person_type,
        person_value,
        source_system,
        n_events,
        first_event_at
    from event_identifiers
    where email is not null and person_value is not null
    union all
    select
        'user_id',
        user_id,
        person_type,
        person_value,
        source_system,
        n_events,
        first_event_at
    from event_identifiers
    where user_id is not null and person_value is not null
),

event_edges as not materialized (
    select
        case when (x_type, x_value) < (y_type, y_value) then x_type else y_type end as a_type,
        case when (x_type, x_value) < (y_type, y_value) then x_value else y_value end as a_value,
        case when (x_type, x_value) < (y_type, y_value) then y_type else x_type end as b_type,
        case when (x_type, x_value) < (y_type, y_value) then y_value else x_value end as b_value,
        source_system,
        n_events as n_observations,
        first_event_at as observed_at
    from event_pairs
    -- a source person key equal to another identifier of the event is the same node
    where not (x_type = y_type and x_value = y_value)
),

event_edges_typed as not materialized (
    select
        a_type,
        a_value,
        b_type,
        b_value,
        case
            when a_type = 'anonymous_id' and b_type = 'user_id' then 'login'
            else 'same_record'
        end as edge_kind,
        source_system,
        n_observations,
        observed_at
    from event_edges
),

link_edges as (
    select
        a_type,
        a_value,
        b_type,
        b_value,
        edge_kind,
        source_system,
        1 as n_observations,
        observed_at
    from link_observations
),

all_edges as (
    select * from event_edges_typed
    union all
    select * from link_edges
),

deduplicated as (
    select
        a_type,
        a_value,
        b_type,
        b_value,
        edge_kind,
        source_system,
        sum(n_observations)::bigint as n_observations,
        min(observed_at) as first_observed_at
    from all_edges
    group by a_type, a_value, b_type, b_value, edge_kind, source_system
),

checked as (
    select
        *,
        case
            when a_type is null or a_value is null or b_type is null or b_value is null
                then 'missing_identifier'
            when a_type = b_type and a_value = b_value then 'self_loop'
        end as check_reason
    from deduplicated
)

select * from checked;
