-- One row per journey: its variant, alignment cost and fitness, and every deviation.
-- Reads int_conformance_variant_alignments(variant_id, is_closed, cost, denominator, fitness,
-- deviations), computed once per distinct (variant, closed) by pipeline/conformance/alignment.py.
-- Fitness counts the stage alignment only; holes and missed follow-ups are listed as deviations
-- without changing it (they are not moves of the stage order).
create or replace temp table fct_conformance_journeys as
with traces as (
    select * from int_conformance_traces
),

alignments as (
    select * from int_conformance_variant_alignments
),

touchpoint_deviations as (
    select * from int_conformance_touchpoint_deviations
)

select
    traces.person_id,
    traces.variant_id,
    traces.path,
    traces.n_steps,
    traces.started_at,
    traces.last_step_at,
    traces.is_closed,
    alignments.cost,
    alignments.denominator,
    alignments.fitness,
    alignments.fitness = 1 as fits,
    list_concat(alignments.deviations, coalesce(touchpoint_deviations.deviations, []))
        as deviations
from traces
inner join alignments
    on traces.variant_id = alignments.variant_id and traces.is_closed = alignments.is_closed
left join touchpoint_deviations on traces.person_id = touchpoint_deviations.person_id;
