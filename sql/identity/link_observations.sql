-- Scratch: identity_links with both ends normalised and put in canonical order, so that
-- (a_type, a_value) sorts before (b_type, b_value). One row per link row.
create or replace temp table identity_link_observations as
with links_source as (
    select
        a_type,
        a_value,
        b_type,
        b_value,
        edge_kind,
        source_system,
        evidence_event_key,
        observed_at
    from identity_links
),

normalised as (
    select
        identity_norm_type(a_type) as a_type,
        identity_norm_value(
            identity_norm_type(a_type), a_value, $case_insensitive_types::varchar[]
        ) as a_value,
        identity_norm_type(b_type) as b_type,
        identity_norm_value(
            identity_norm_type(b_type), b_value, $case_insensitive_types::varchar[]
        ) as b_value,
        coalesce(identity_norm_type(edge_kind), 'same_record') as edge_kind,
        source_system,
        evidence_event_key,
        observed_at
    from links_source
),

ordered as (
    select
        case when (a_type, a_value) <= (b_type, b_value) then a_type else b_type end as a_type,
        case when (a_type, a_value) <= (b_type, b_value) then a_value else b_value end as a_value,
        case when (a_type, a_value) <= (b_type, b_value) then b_type else a_type end as b_type,
        case when (a_type, a_value) <= (b_type, b_value) then b_value else a_value end as b_value,
        edge_kind,
        source_system,
        evidence_event_key,
        observed_at
    from normalised
)

select * from ordered;
