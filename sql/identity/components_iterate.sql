-- One round of min-label propagation with pointer jumping, as a single statement.
-- A node's new label is the smallest of its own label, its neighbours' labels and the label of
-- the node its label points to. Only nodes whose label drops are updated, so the statement's
-- row count is the number of changed nodes: zero means the fixpoint is reached, and then every
-- node carries the smallest node id of its component.
update identity_cc_labels
set label = improved.label
from (
    with neighbour_labels as (
        select
            edges.src_node_id as node_id,
            min(labels.label) as label
        from identity_cc_edges as edges
        inner join identity_cc_labels as labels
            on edges.dst_node_id = labels.node_id
        group by edges.src_node_id
    ),

    jumped_labels as (
        select
            labels.node_id,
            pointed.label
        from identity_cc_labels as labels
        inner join identity_cc_labels as pointed
            on labels.label = pointed.node_id
        where pointed.label < labels.label
    ),

    candidates as (
        select * from neighbour_labels
        union all
        select * from jumped_labels
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
