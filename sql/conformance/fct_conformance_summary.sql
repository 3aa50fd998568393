-- Log-level conformance over closed journeys (metric-semantics §6, §4): journeys in progress are
-- counted but not scored, since a truncated journey can never fit.
--   log_fitness              1 - sum(cost) / sum(denominator)   (null when the sum is 0)
--   average_fitness          the plain mean of journey fitness
--   perfectly_fitting_share  the share of closed journeys with fitness 1
create or replace temp table fct_conformance_summary as
select
    count(*) as n_journeys,
    count_if(is_closed) as n_closed,
    count_if(not is_closed) as n_in_progress,
    count(distinct variant_id) as n_variants,
    1 - sum(cost) filter (where is_closed)
        / nullif(sum(denominator) filter (where is_closed), 0) as log_fitness,
    avg(fitness) filter (where is_closed) as average_fitness,
    count_if(is_closed and fits) / nullif(count_if(is_closed), 0) as perfectly_fitting_share
from fct_conformance_journeys;
