-- Conformance of closed journeys per weekly entry cohort.
select
    entry_week,
    n_closed,
    log_fitness,
    average_fitness,
    perfectly_fitting_share,
from conformance_by_week
where map_id = $map_id and n_closed > 0
order by entry_week;
