-- Deviations that the stage alignment cannot see, per journey: required touchpoints missing from a
-- stage the journey entered (a "hole"), and expected follow-ups that never came.
-- Reads conformance_required_touchpoints(stage, touchpoint_id) and
-- conformance_follow_ups(follow_up_id, after_touchpoint, unless_touchpoint, expect_touchpoint,
-- within_seconds), filled from the ideal map by the caller.
--
-- A follow-up is checked once per occurrence of its `after` touchpoint at time t:
--   not_needed  the `unless` touchpoint happened in [t, t + within],
--   done        otherwise, the `expect` touchpoint happened in [t, t + within],
--   not_due     otherwise, t + within > as-of (it may still come: right-censored, §4),
--   missing     otherwise.
create or replace temp table int_conformance_follow_up_checks as
with afters as (
    select
        f.follow_up_id,
        e.person_id,
        e.occurred_at as after_at,
        e.occurred_at + to_seconds(f.within_seconds) as due_at,
        f.unless_touchpoint,
        f.expect_touchpoint
    from conformance_follow_ups as f
    inner join int_conformance_ordered_events as e on e.touchpoint_id = f.after_touchpoint
),

outcomes as (
    select
        afters.*,
        exists (
            select 1 from int_conformance_ordered_events as u
            where u.person_id = afters.person_id and u.touchpoint_id = afters.unless_touchpoint
                and u.occurred_at between afters.after_at and afters.due_at
        ) as has_unless,
        exists (
            select 1 from int_conformance_ordered_events as x
            where x.person_id = afters.person_id and x.touchpoint_id = afters.expect_touchpoint
                and x.occurred_at between afters.after_at and afters.due_at
        ) as has_expect
    from afters
)

select
    follow_up_id,
    person_id,
    after_at,
    due_at,
    case
        when has_unless then 'not_needed'
        when has_expect then 'done'
        when due_at > $as_of then 'not_due'
        else 'missing'
    end as status
from outcomes;

create or replace temp table int_conformance_touchpoint_deviations as
with entered_stages as (
    select distinct person_id, label as stage from int_conformance_steps where is_stage
),

touched as (
    select distinct person_id, touchpoint_id
    from int_conformance_ordered_events
    where touchpoint_id is not null
),

holes as (
    select
        entered_stages.person_id,
        {'kind': 'required_touchpoint_missing', 'subject': required.touchpoint_id,
         'position': null::integer} as deviation
    from entered_stages
    inner join conformance_required_touchpoints as required
        on entered_stages.stage = required.stage
    left join touched
        on entered_stages.person_id = touched.person_id
        and required.touchpoint_id = touched.touchpoint_id
    where touched.person_id is null
),

missed_follow_ups as (
    select
        person_id,
        {'kind': 'expected_follow_up_missing', 'subject': follow_up_id,
         'position': null::integer} as deviation
    from int_conformance_follow_up_checks
    where status = 'missing'
),

all_deviations as (
    select * from holes
    union all
    select * from missed_follow_ups
)

select person_id, list(deviation order by deviation.kind, deviation.subject) as deviations
from all_deviations
group by person_id;
