-- Scratch: every candidate edge with the reason it is rejected (null when it is accepted).
-- An edge is rejected when a link end is missing, both ends are the same identifier, an end is
-- blocked, or an end is shared (over its hub limit).
create or replace temp table identity_edge_checks as
with candidate_edges as (
    select * from identity_candidate_edges
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        is_blocked,
        is_shared
    from identifiers
),

checked as (
    select
        edges.a_type,
        edges.a_value,
        edges.b_type,
        edges.b_value,
        edges.edge_kind,
        edges.source_system,
        edges.n_observations,
        edges.first_observed_at,
        case
            when edges.check_reason is not null then edges.check_reason
            when a_end.is_blocked or b_end.is_blocked then 'blocked_identifier'
            when a_end.is_shared or b_end.is_shared then 'shared_identifier'
        end as reason
    from candidate_edges as edges
    left join identifiers as a_end
        on edges.a_type = a_end.identifier_type
        and edges.a_value = a_end.identifier_value
    left join identifiers as b_end
        on edges.b_type = b_end.identifier_type
        and edges.b_value = b_end.identifier_value
)

select * from checked;
