-- One round of connected components as a single statement: min-label propagation with hooking
-- and pointer jumping. Labels only ever drop, and a label is always a node of the same
-- component. A node's new label is the smallest of:
--   its own label, its neighbours' labels (propagation),
--   the labels reaching it as the label of an edge end (hooking: the node a label points to
--   learns the label at the other end of the edge, so whole trees join at once),
--   the label of the node its label points to (pointer jumping).
-- Only nodes whose label drops are updated, so the statement's row count is the number of
-- changed nodes: zero means the fixpoint, where every node carries the smallest node id of its
-- component. Hooking and jumping make the number of rounds grow with log(diameter).
update identity_cc_labels
set label = improved.label
from (
    with edge_labels as (
        select
            edges.src_node_id,
            src_labels.label as src_label,
            dst_labels.label as dst_label
        from identity_cc_edges as edges
        inner join identity_cc_labels as src_labels
            on edges.src_node_id = src_labels.node_id
        inner join identity_cc_labels as dst_labels
            on edges.dst_node_id = dst_labels.node_id
        where dst_labels.label < src_labels.label
    ),

    propagated as (
        select
            src_node_id as node_id,
            dst_label as label
        from edge_labels
    ),

    hooked as (
        select
            src_label as node_id,
            dst_label as label
        from edge_labels
    ),

    jumped as (
        select
            labels.node_id,
            pointed.label
        from identity_cc_labels as labels
        inner join identity_cc_labels as pointed
            on labels.label = pointed.node_id
        where pointed.label < labels.label
    ),

    candidates as (
        select * from propagated
        union all
        select * from hooked
        union all
        select * from jumped
    ),

    best as (
        select
            node_id,
            min(label) as label
        from candidates
        group by node_id
    )

    select
        best.node_id,
        best.label
    from best
    inner join identity_cc_labels as current_labels
        on best.node_id = current_labels.node_id
    where best.label < current_labels.label
) as improved
where identity_cc_labels.node_id = improved.node_id;
