-- The steps of every journey, the unit that conformance aligns: stage visits and unmatched events.
-- Reads conformance_events(person_id, occurred_at, event_order, event_name, stage, stage_index,
-- touchpoint_id, department, is_stage_marker), filled by the caller (the ad-hoc command or the
-- conformance asset).
-- Order: occurred_at, then the stage's place in the ideal order, then the caller's event_order
-- (file row or event key): the explicit tie-break of metric-semantics §6.
-- A stage visit starts at an event named like a stage (a stage marker) or at a touchpoint of a
-- different stage than the previous matched event; unmatched events neither start nor end a
-- visit, and each is a step of its own (a log move for the alignment).
create or replace temp table int_conformance_ordered_events as
select
    *,
    row_number() over (
        partition by person_id order by occurred_at, stage_index nulls last, event_order
    ) as event_seq
from conformance_events;

create or replace temp table int_conformance_steps as
with matched as (
    select
        *,
        is_stage_marker
            or lag(stage) over (partition by person_id order by event_seq) is distinct from stage
            as starts_visit
    from int_conformance_ordered_events
    where stage is not null
),

visits as (
    select
        *,
        sum(starts_visit::int) over (
            partition by person_id order by event_seq rows unbounded preceding
        ) as visit_no
    from matched
),

stage_steps as (
    select
        person_id,
        min(event_seq) as first_event_seq,
        any_value(stage) as label,
        true as is_stage,
        min(occurred_at) as entered_at,
        count(*) as n_events
    from visits
    group by person_id, visit_no
),

unmatched_steps as (
    select
        person_id,
        event_seq as first_event_seq,
        event_name as label,
        false as is_stage,
        occurred_at as entered_at,
        1 as n_events
    from int_conformance_ordered_events
    where stage is null
),

steps as (
    select * from stage_steps
    union all
    select * from unmatched_steps
)

select
    person_id,
    row_number() over (partition by person_id order by first_event_seq) as step_no,
    label,
    is_stage,
    entered_at,
    n_events
from steps;
