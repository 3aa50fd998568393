-- The discovered as-is map (pm4py.discover_dfg semantics, metric-semantics §6): directly-follows
-- pairs counted per occurrence, self-loops included, with the median seconds between them.
--   fct_conformance_dfg             over journey steps (stage visits and unmatched events), the same
--                               log the alignment sees; time = entry of one step to the next
--   fct_conformance_touchpoint_dfg  over events matched to a touchpoint, ignoring unmatched events
--   fct_conformance_start_end       first and last step of each journey, counted in journeys
create or replace temp table fct_conformance_dfg as
with pairs as (
    select
        label as from_label,
        lead(label) over (partition by person_id order by step_no) as to_label,
        epoch(lead(entered_at) over (partition by person_id order by step_no) - entered_at)
            as seconds
    from int_conformance_steps
)

select
    from_label,
    to_label,
    count(*) as n_transitions,
    median(seconds) as median_seconds
from pairs
where to_label is not null
group by from_label, to_label;

create or replace temp table fct_conformance_touchpoint_dfg as
with pairs as (
    select
        touchpoint_id as from_touchpoint,
        lead(touchpoint_id) over (partition by person_id order by event_seq) as to_touchpoint,
        epoch(lead(occurred_at) over (partition by person_id order by event_seq) - occurred_at)
            as seconds
    from int_conformance_ordered_events
    where touchpoint_id is not null
)

select
    from_touchpoint,
    to_touchpoint,
    count(*) as n_transitions,
    median(seconds) as median_seconds
from pairs
where to_touchpoint is not null
group by from_touchpoint, to_touchpoint;

create or replace temp table fct_conformance_start_end as
with ends as (
    select
        person_id,
        arg_min(label, step_no) as start_label,
        arg_max(label, step_no) as end_label
    from int_conformance_steps
    group by person_id
)

select 'start' as position, start_label as label, count(*) as n_journeys
from ends group by start_label
union all
select 'end' as position, end_label as label, count(*) as n_journeys
from ends group by end_label;
