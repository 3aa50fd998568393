-- The `journeys conformance --format json` document, built as JSON text in DuckDB so a million
-- journeys never pass through Python objects. Keys as in docs/metrics.md.
with journeys as (
    select list(
        {'person_id': person_id, 'fitness': fitness, 'cost': cost, 'deviations': deviations}
        order by person_id
    ) as items
    from fct_conformance_journeys
),

variants as (
    select list({'path': path, 'count': n_journeys} order by variant_id) as items
    from int_conformance_variants
),

dfg as (
    select list(
        {'from': from_label, 'to': to_label, 'count': n_transitions,
         'median_seconds': median_seconds}
        order by n_transitions desc, from_label, to_label
    ) as items
    from fct_conformance_dfg
),

ends as (
    select
        map_from_entries(list({'k': label, 'v': n_journeys} order by n_journeys desc, label)
            filter (where "position" = 'start')) as start_labels,
        map_from_entries(list({'k': label, 'v': n_journeys} order by n_journeys desc, label)
            filter (where "position" = 'end')) as end_labels
    from fct_conformance_start_end
)

select to_json({
    'journeys': coalesce(journeys.items, []),
    'log_fitness': summary.log_fitness,
    'average_fitness': summary.average_fitness,
    'perfectly_fitting_share': summary.perfectly_fitting_share,
    'variants': coalesce(variants.items, []),
    'dfg': coalesce(dfg.items, []),
    'start': coalesce(ends.start_labels, map()),
    'end': coalesce(ends.end_labels, map())
})::varchar as document
from fct_conformance_summary as summary, journeys, variants, dfg, ends;
