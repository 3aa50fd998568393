-- Wilson score interval for x successes out of n trials at 95 % (metric-semantics §5):
--   centre = (p + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) · sqrt(p(1 - p)/n + z²/4n²)
-- Null when n = 0. z = 1.959963984540054, the 97.5 % normal quantile. The bounds are clamped
-- to [0, 1]: at x = 0 (or x = n) the formula gives 0 (or 1) only up to rounding, and a rate check
-- must not fail on -1e-19.
create or replace macro wilson_low(x, n) as
    case when n > 0 then greatest(0.0,
        ((x / n + 1.959963984540054 ^ 2 / (2 * n))
         - 1.959963984540054 * sqrt((x / n) * (1 - x / n) / n
                                    + 1.959963984540054 ^ 2 / (4 * n * n)))
        / (1 + 1.959963984540054 ^ 2 / n))
    end;

create or replace macro wilson_high(x, n) as
    case when n > 0 then least(1.0,
        ((x / n + 1.959963984540054 ^ 2 / (2 * n))
         + 1.959963984540054 * sqrt((x / n) * (1 - x / n) / n
                                    + 1.959963984540054 ^ 2 / (4 * n * n)))
        / (1 + 1.959963984540054 ^ 2 / n))
    end;
