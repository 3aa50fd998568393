-- identity_rejected_edges: candidate edges the guards refused, with the reason:
-- missing_identifier, self_loop, blocked_identifier or shared_identifier.
create or replace table identity_rejected_edges as
with edge_checks as (
    select * from identity_edge_checks
),

rejected as (
    select
        a_type,
        a_value,
        b_type,
        b_value,
        edge_kind,
        source_system,
        n_observations,
        first_observed_at,
        reason
    from edge_checks
    where reason is not null
)

select * from rejected;
