-- Calibration per claim: the observed rate of the promised behaviour at every survey score.
select
    c.map_id,
    c.claim_id,
    s.label,
    c.score,
    c.in_say_range,
    c.respondents,
    c.behaved,
    c.rate,
    c.rate_low,
    c.rate_high,
from claim_calibration as c
left join (select distinct map_id, claim_id, label from say_vs_do) as s using (map_id, claim_id)
where c.respondents > 0
order by c.map_id, c.claim_id, c.score;
