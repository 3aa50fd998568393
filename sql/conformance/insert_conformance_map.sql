-- Save one ideal map's conformance ($map_id) from the engine's temp tables.
-- conformance_by_week groups closed journeys by entry week (the week milestone 1 was reached, or for
-- journeys that never reached it, the week of their first step). Deviations are counted in
-- closed journeys that have them at least once: overall in conformance_deviations, per persona
-- in conformance_deviations_by_persona.
insert into conformance_journeys
select
    $map_id,
    journeys.person_id,
    customer_journeys.persona,
    coalesce(customer_journeys.entry_week, cast(date_trunc('week', journeys.started_at) as date)),
    journeys.variant_id,
    journeys.path,
    journeys.n_steps,
    journeys.is_closed,
    journeys.cost,
    journeys.denominator,
    journeys.fitness,
    journeys.fits,
    journeys.deviations
from fct_conformance_journeys as journeys
left join customer_journeys
    on customer_journeys.map_id = $map_id and customer_journeys.customer_id = journeys.person_id;

insert into conformance_summary
select $map_id, n_journeys, n_closed, n_in_progress, n_variants, log_fitness, average_fitness,
    perfectly_fitting_share
from fct_conformance_summary;

insert into conformance_by_week
select
    map_id,
    entry_week,
    count(*) as n_closed,
    1 - sum(cost) / nullif(sum(denominator), 0) as log_fitness,
    avg(fitness) as average_fitness,
    avg(fits::int) as perfectly_fitting_share
from conformance_journeys
where map_id = $map_id and is_closed
group by map_id, entry_week;

insert into conformance_variants
select
    $map_id,
    variants.variant_id,
    variants.path,
    variants.n_journeys,
    variants.n_closed,
    alignments.cost,
    alignments.fitness
from int_conformance_variants as variants
left join int_conformance_variant_alignments as alignments
    on alignments.variant_id = variants.variant_id and alignments.is_closed;

create or replace temp table int_conformance_deviation_counts as
with closed as (
    select * from conformance_journeys where map_id = $map_id and is_closed
),

found as (
    select distinct customer_id, persona, d.kind, d.subject
    from (
        select customer_id, coalesce(persona, '(no persona)') as persona,
            unnest(deviations) as d
        from closed
    )
),

closed_per_persona as (
    -- persona null = all closed journeys
    select
        case when grouping(persona) = 0 then persona end as persona,
        count(*) as n_closed
    from (select coalesce(persona, '(no persona)') as persona from closed)
    group by grouping sets ((persona), ())
),

counted as (
    select
        kind,
        subject,
        case when grouping(persona) = 0 then persona end as persona,
        count(*) as n_journeys
    from found
    group by grouping sets ((kind, subject), (kind, subject, persona))
),

-- the department that owns what went missing or came unexpected: the ideal's touchpoint, the
-- as-is touchpoint the ideal leaves out, or the follow-up's expected touchpoint
owners as (
    select touchpoints.touchpoint_id as subject, touchpoints.department
    from map_touchpoints as touchpoints
    inner join journey_maps as maps
        on touchpoints.map_id = maps.map_id or touchpoints.map_id = maps.ideal_of
    where maps.map_id = $map_id
    qualify row_number() over (
        partition by touchpoints.touchpoint_id order by touchpoints.map_id = $map_id desc
    ) = 1
    union all
    select follow_ups.follow_up_id, touchpoints.department
    from map_follow_ups as follow_ups
    inner join map_touchpoints as touchpoints
        on touchpoints.map_id = follow_ups.map_id
        and touchpoints.touchpoint_id = follow_ups.expect_touchpoint
    where follow_ups.map_id = $map_id
)

select
    counted.persona,
    counted.kind,
    counted.subject,
    case when counted.kind not in ('skipped_stage', 'out_of_order', 'looped_back')
        then owners.department end as department,
    counted.n_journeys,
    counted.n_journeys / closed_per_persona.n_closed as share_of_closed,
    row_number() over (
        partition by counted.persona order by counted.n_journeys desc, counted.kind,
            counted.subject
    ) as deviation_rank
from counted
inner join closed_per_persona on closed_per_persona.persona is not distinct from counted.persona
left join owners on owners.subject = counted.subject;

insert into conformance_deviations
select $map_id, kind, subject, department, n_journeys, share_of_closed, deviation_rank
from int_conformance_deviation_counts
where persona is null;

insert into conformance_deviations_by_persona
select $map_id, persona, kind, subject, department, n_journeys, share_of_closed, deviation_rank
from int_conformance_deviation_counts
where persona is not null;

insert into conformance_stage_dfg
select $map_id, from_label, to_label, n_transitions, median_seconds from fct_conformance_dfg;

insert into conformance_touchpoint_dfg
select $map_id, from_touchpoint, to_touchpoint, n_transitions, median_seconds
from fct_conformance_touchpoint_dfg;

insert into conformance_start_end
select $map_id, "position", label, n_journeys from fct_conformance_start_end;

insert into follow_up_checks
select $map_id, follow_up_id, person_id, after_at, due_at, status
from int_conformance_follow_up_checks;
