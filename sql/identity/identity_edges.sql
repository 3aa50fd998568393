-- identity_edges: the accepted edges, one row per (a, b, edge_kind, source_system), where
-- (a_type, a_value) sorts before (b_type, b_value).
create or replace table identity_edges as
with edge_checks as (
    select * from identity_edge_checks
),

accepted as (
    select
        a_type,
        a_value,
        b_type,
        b_value,
        edge_kind,
        source_system,
        n_observations,
        first_observed_at
    from edge_checks
    where reason is null
)

select * from accepted;
