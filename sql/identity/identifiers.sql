-- identifiers: every identifier seen on an event or an identity link, with the guards applied.
-- is_blocked: an empty, placeholder or pattern-blocked value (block_reason says which rule).
-- is_shared: linked by candidate edges to more distinct values of another type than the hub
-- limit allows. Only edges between two unblocked identifiers count. Blocked identifiers are
-- never shared. Neither kind creates edges.
create or replace table identifiers as
with identifier_candidates as (
    select * from identity_identifier_candidates
),

candidate_edges as (
    select * from identity_candidate_edges
    where check_reason is null
),

hub_limits as (
    select * from identity_rule_hub_limits
),

unblocked as (
    select
        identifier_type,
        identifier_value
    from identifier_candidates
    where block_reason is null
),

usable_edges as (
    select
        edges.a_type,
        edges.a_value,
        edges.b_type,
        edges.b_value
    from candidate_edges as edges
    semi join unblocked as a_end
        on edges.a_type = a_end.identifier_type
        and edges.a_value = a_end.identifier_value
    semi join unblocked as b_end
        on edges.b_type = b_end.identifier_type
        and edges.b_value = b_end.identifier_value
),

neighbours as (
    select
        a_type as identifier_type,
        a_value as identifier_value,
        b_type as other_type,
        b_value as other_value
    from usable_edges
    union
    select
        b_type,
        b_value,
        a_type,
        a_value
    from usable_edges
),

hub_counts as (
    select
        neighbours.identifier_type,
        neighbours.identifier_value,
        neighbours.other_type,
        count(*) as n_distinct_other,
        any_value(hub_limits.max_distinct) as max_distinct
    from neighbours
    inner join hub_limits
        on neighbours.identifier_type = hub_limits.identifier_type
        and neighbours.other_type = hub_limits.other_type
    group by neighbours.identifier_type, neighbours.identifier_value, neighbours.other_type
),

shared as (
    select distinct
        identifier_type,
        identifier_value
    from hub_counts
    where n_distinct_other > max_distinct
),

final as (
    select
        identifier_candidates.identifier_type,
        identifier_candidates.identifier_value,
        identifier_candidates.first_seen_at,
        identifier_candidates.last_seen_at,
        identifier_candidates.n_events,
        identifier_candidates.source_systems,
        identifier_candidates.block_reason is not null as is_blocked,
        identifier_candidates.block_reason,
        identifier_candidates.block_reason is null
        and shared.identifier_value is not null as is_shared
    from identifier_candidates
    left join shared
        on identifier_candidates.identifier_type = shared.identifier_type
        and identifier_candidates.identifier_value = shared.identifier_value
)

select * from final;
