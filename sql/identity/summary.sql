-- The numbers build_identity returns, read from the tables it has just built.
with identifier_counts as (
    select
        count(*) as n_identifiers,
        count(*) filter (where is_blocked) as n_identifiers_blocked,
        count(*) filter (where is_shared) as n_identifiers_shared
    from identifiers
),

customer_counts as (
    select
        count(*) as n_customers,
        count(*) filter (where is_shared) as n_customers_shared,
        count(*) filter (where is_identified) as n_customers_identified
    from customers
),

edge_counts as (
    select
        (select count(*) from identity_edges) as n_edges_accepted,
        (select count(*) from identity_rejected_edges) as n_edges_rejected
),

event_counts as (
    select
        count(*) as n_events,
        count(customer_id) as n_events_attributed,
        count(*) - count(customer_id) as n_events_unattributed
    from event_customers
)

select
    identifier_counts.*,
    customer_counts.*,
    edge_counts.*,
    event_counts.*
from identifier_counts, customer_counts, edge_counts, event_counts;
