-- identity_audit_component_sizes: how many customers have each number of identifiers
-- (shared singletons included, as customers of one identifier).
create or replace table identity_audit_component_sizes as
with person_map as (
    select * from person_map
),

customer_sizes as (
    select
        customer_id,
        count(*)::bigint as n_identifiers
    from person_map
    group by customer_id
),

final as (
    select
        n_identifiers,
        count(*)::bigint as n_customers
    from customer_sizes
    group by n_identifiers
)

select * from final;
