-- The deviations from the ideal map, most frequent first, in journey language.
select
    kind,
    subject,
    n_journeys,
    share_of_closed,
    deviation_rank,
from conformance_deviations
where map_id = $map_id
order by deviation_rank;
