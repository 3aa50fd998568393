-- The discovered directly-follows edges between touchpoints (conformance_touchpoint_dfg), each
-- judged against the ideal map's stage order: a move within a stage or forward over optional
-- stages only is expected; a forward move over a required stage (a skipped stage) or a move
-- back into a stage that is not repeatable is unexpected. Self-loops are left out.
with stages as (
    select stage, stage_index, optional, repeatable
    from map_stages
    where map_id = $map_id
),

touchpoints as (
    select touchpoint_id, stage, stage_index
    from map_touchpoints
    where map_id = $map_id
),

edges as (
    select
        d.from_touchpoint,
        d.to_touchpoint,
        d.n_transitions,
        d.median_seconds,
        a.stage_index as from_index,
        b.stage_index as to_index,
        b.stage as to_stage,
    from conformance_touchpoint_dfg as d
    inner join touchpoints as a on a.touchpoint_id = d.from_touchpoint
    inner join touchpoints as b on b.touchpoint_id = d.to_touchpoint
    where d.map_id = $map_id and d.from_touchpoint <> d.to_touchpoint
),

judged as (
    select
        e.*,
        case
            when e.to_index = e.from_index then true
            when e.to_index > e.from_index then not exists (
                select 1 from stages as s
                where s.stage_index > e.from_index and s.stage_index < e.to_index
                    and not s.optional)
            else coalesce((select s.repeatable from stages as s where s.stage = e.to_stage), false)
        end as is_expected,
    from edges as e
)

select
    from_touchpoint,
    to_touchpoint,
    n_transitions,
    median_seconds,
    is_expected,
    row_number() over (order by n_transitions desc, from_touchpoint, to_touchpoint)
        as volume_rank,
from judged
order by volume_rank;
