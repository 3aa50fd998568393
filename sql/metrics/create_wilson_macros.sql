-- Wilson score interval for x successes out of n trials at 95 % (metric-semantics §5):
--   centre = (p + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) · sqrt(p(1 - p)/n + z²/4n²)
-- Null when n = 0. z = 1.959963984540054, the 97.5 % normal quantile.
create or replace macro wilson_low(x, n) as
    case when n > 0 then
        ((x / n + 1.959963984540054 ^ 2 / (2 * n))
         - 1.959963984540054 * sqrt((x / n) * (1 - x / n) / n
                                    + 1.959963984540054 ^ 2 / (4 * n * n)))
        / (1 + 1.959963984540054 ^ 2 / n)
    end;

create or replace macro wilson_high(x, n) as
    case when n > 0 then
        ((x / n + 1.959963984540054 ^ 2 / (2 * n))
         + 1.959963984540054 * sqrt((x / n) * (1 - x / n) / n
                                    + 1.959963984540054 ^ 2 / (4 * n * n)))
        / (1 + 1.959963984540054 ^ 2 / n)
    end;
