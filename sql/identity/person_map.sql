-- person_map: every identifier that is not blocked, with its customer.
-- A connected component of accepted edges is one customer; a shared identifier is a customer of
-- its own. customer_id = 'c_' || the first 16 hex digits of sha256 of the smallest
-- identifier_type || ':' || identifier_value in the customer, so it does not depend on run order.
create or replace table person_map as
with nodes as (
    select * from identity_cc_nodes
),

labels as (
    select * from identity_cc_labels
),

shared_identifiers as (
    select
        identifier_type,
        identifier_value
    from identifiers
    where is_shared and not is_blocked
),

component_members as (
    select
        nodes.identifier_type,
        nodes.identifier_value,
        labels.label
    from nodes
    inner join labels
        on nodes.node_id = labels.node_id
),

component_ids as (
    select
        label,
        'c_' || left(sha256(min(identifier_type || ':' || identifier_value)), 16) as customer_id
    from component_members
    group by label
),

stitched as (
    select
        members.identifier_type,
        members.identifier_value,
        component_ids.customer_id
    from component_members as members
    inner join component_ids
        on members.label = component_ids.label
),

shared_singletons as (
    select
        identifier_type,
        identifier_value,
        'c_' || left(sha256(identifier_type || ':' || identifier_value), 16) as customer_id
    from shared_identifiers
),

final as (
    select * from stitched
    union all
    select * from shared_singletons
)

select * from final;
