-- CSAT per stage against progression from that stage, satisfied and not, in map stage order.
select
    c.map_id,
    c.stage,
    c.satisfied,
    c.answers,
    c.judged,
    c.progressed,
    c.progression_rate,
    c.progression_rate_low,
    c.progression_rate_high,
    c.satisfied_but_stalled,
    c.small_group,
from csat_vs_progression as c
left join map_stages as s using (map_id, stage)
order by c.map_id, s.stage_index, c.stage, c.satisfied desc;
