-- One trace per journey (its step labels in order) and the distinct variants.
-- A journey is closed unless conformance_open_cases lists it (in progress, metric-semantics §4):
-- closed journeys must reach the end of the ideal order, open ones are aligned as prefixes.
-- variant_id numbers distinct paths by how many journeys follow them (most common first, ties by
-- path), so variant 1 is the happy path when most journeys conform.
create or replace temp table int_conformance_traces as
with traces as (
    select
        person_id,
        list(label order by step_no) as path,
        count(*) as n_steps,
        min(entered_at) as started_at,
        max(entered_at) as last_step_at
    from int_conformance_steps
    group by person_id
),

variants as (
    select
        path,
        count(*) as n_journeys,
        row_number() over (order by count(*) desc, path) as variant_id
    from traces
    group by path
)

select
    traces.person_id,
    variants.variant_id,
    traces.path,
    traces.n_steps,
    traces.started_at,
    traces.last_step_at,
    open_cases.person_id is null as is_closed
from traces
inner join variants on traces.path = variants.path
left join conformance_open_cases as open_cases on traces.person_id = open_cases.person_id;

create or replace temp table int_conformance_variants as
select
    variant_id,
    any_value(path) as path,
    count(*) as n_journeys,
    count_if(is_closed) as n_closed
from int_conformance_traces
group by variant_id;
