-- Scratch for the connected components of the accepted edges.
-- Nodes: every identifier that is neither blocked nor shared, numbered densely in no particular
-- order (customer_id comes from the identifiers, never from node ids).
-- Edges: the accepted edges, in both directions.
-- Labels: each node starts as its own label, then components_iterate lowers them.
create or replace temp table identity_cc_nodes as
with identifiers as (
    select
        identifier_type,
        identifier_value
    from identifiers
    where not is_blocked and not is_shared
),

numbered as (
    select
        row_number() over ()::bigint as node_id,
        identifier_type,
        identifier_value
    from identifiers
)

select * from numbered;

create or replace temp table identity_cc_edges as
with accepted_pairs as (
    select distinct
        a_type,
        a_value,
        b_type,
        b_value
    from identity_edges
),

nodes as (
    select * from identity_cc_nodes
),

node_pairs as (
    select
        a_node.node_id as a_node_id,
        b_node.node_id as b_node_id
    from accepted_pairs as pairs
    inner join nodes as a_node
        on pairs.a_type = a_node.identifier_type
        and pairs.a_value = a_node.identifier_value
    inner join nodes as b_node
        on pairs.b_type = b_node.identifier_type
        and pairs.b_value = b_node.identifier_value
),

directed as (
    select
        a_node_id as src_node_id,
        b_node_id as dst_node_id
    from node_pairs
    union all
    select
        b_node_id,
        a_node_id
    from node_pairs
)

select * from directed;

create or replace temp table identity_cc_labels as
select
    node_id,
    node_id as label
from identity_cc_nodes;
