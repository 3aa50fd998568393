-- Log-level conformance of one ideal map over closed journeys.
select
    n_journeys,
    n_closed,
    n_in_progress,
    n_variants,
    log_fitness,
    average_fitness,
    perfectly_fitting_share,
from conformance_summary
where map_id = $map_id;
