-- Say versus do per claim, everyone together, from say_vs_do: who said it, who did it, the rate
-- with its Wilson interval and the gap (judged - did).
select
    map_id,
    claim_id,
    label,
    said,
    open,
    judged,
    did,
    rate,
    rate_low,
    rate_high,
    gap,
    gap_rate,
    small_group,
from say_vs_do
where grouping = 'all'
order by map_id, claim_id;
