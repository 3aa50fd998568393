"""The kernel's per-unit outputs as one row per (unit, step): the columns of `fn_unit_steps`.

Compiled, because these are units x steps rows (5M for a million persons and five steps) and
NumPy needs a dozen passes and temporaries over them where one parallel loop does it once.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from pipeline.funnels.kernel import NONE


def unit_steps(furthest, times, path, optional, prev):
    """Flat arrays, unit-major, for `fn_unit_steps` (docs/metrics.md "Funnels"): unit, step,
    reached, reached_previous, has_time, seconds, has_seconds.

    A mandatory step is reached when the unit's furthest step is at or past it, an optional step
    when the credited `path` includes it; units that never entered reach nothing. `seconds` is
    the time since the nearest earlier mandatory step `prev[s]`, valid where both times exist and
    the step is reached.
    """
    size = times.shape[0] * times.shape[1]
    # Allocated by NumPy (huge pages on big arrays): see kernel._outputs.
    out = (np.empty(size, np.int64), np.empty(size, np.int16), np.empty(size, np.bool_),
           np.empty(size, np.bool_), np.empty(size, np.bool_), np.empty(size, np.float64),
           np.empty(size, np.bool_))
    _unit_steps(furthest, times, path, optional, prev, *out)
    return out


@njit(cache=True, parallel=True)
def _unit_steps(furthest, times, path, optional, prev, unit, step, reached, reached_previous,
                has_time, seconds, has_seconds):
    units, n = times.shape
    for u in prange(units):
        entered = furthest[u] >= 0
        for s in range(n):
            i = u * n + s
            unit[i] = u
            step[i] = s
            has_time[i] = times[u, s] != NONE
            on = ((path[u] >> s) & 1) == 1 if optional[s] else furthest[u] >= s
            seconds[i] = np.nan
            has_seconds[i] = False
            if s > 0 and on and times[u, s] != NONE and times[u, prev[s]] != NONE:
                seconds[i] = (times[u, s] - times[u, prev[s]]) / 1e6
                has_seconds[i] = True
            reached[i] = on and entered
            reached_previous[i] = reached[i - 1] if s > 0 else False
