-- Calibration curve per claim: for every score the say touchpoint received (whether or not it
-- is in the claim's range), how many respondents kept the claim's behaviour. A well-calibrated
-- scale rises with the score; the claim's own range is marked in_say_range.
-- Counts mature responses only (see int_claim_outcomes); rate with its Wilson interval.
create or replace table claim_calibration as
select
    map_id,
    claim_id,
    score,
    bool_or(said) as in_say_range,
    count(*) filter (where mature) as respondents,
    count(*) filter (where not mature) as open,
    count(*) filter (where mature and behaved) as behaved,
    count(*) filter (where mature and behaved) / nullif(count(*) filter (where mature), 0)
        as rate,
    wilson_low(count(*) filter (where mature and behaved), count(*) filter (where mature))
        as rate_low,
    wilson_high(count(*) filter (where mature and behaved), count(*) filter (where mature))
        as rate_high
from int_claim_outcomes
where score is not null
group by map_id, claim_id, score;
