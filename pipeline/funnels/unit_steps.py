"""The kernel's per-unit outputs as one row per (unit, step) the unit reached or stopped at: the
columns of `fn_unit_steps`.

Compiled, because these are units x steps candidates (5M for a million persons and five steps)
and NumPy needs a dozen passes and temporaries over them where two parallel loops do it.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from pipeline.funnels.kernel import NONE


def unit_steps(furthest, times, path, optional, prev):
    """Flat arrays, unit-major, for `fn_unit_steps` (docs/metrics.md "Funnels"): unit, step,
    reached, reached_previous, reached_at (microseconds), has_time, seconds, has_seconds.

    A mandatory step is reached when the unit's furthest step is at or past it, an optional step
    when the credited `path` includes it; units that never entered reach nothing. Only rows
    with `reached` or `reached_previous` are kept: every other row would count toward nothing
    (a unit that never entered has none). `seconds` is the time since the nearest earlier
    mandatory step `prev[s]`, valid where both times exist and the step is reached.
    """
    units = times.shape[0]
    kept = np.empty(units, np.int64)
    _count(furthest, path, optional, kept)
    first = np.zeros(units + 1, np.int64)
    np.cumsum(kept, out=first[1:])
    size = int(first[-1])
    # Allocated by NumPy (huge pages on big arrays): see kernel.outputs.
    out = (np.empty(size, np.int64), np.empty(size, np.int16), np.empty(size, np.bool_),
           np.empty(size, np.bool_), np.empty(size, np.int64), np.empty(size, np.bool_),
           np.empty(size, np.float64), np.empty(size, np.bool_))
    _unit_steps(furthest, times, path, optional, prev, first, *out)
    return out


@njit(cache=True, inline="always")
def _reached(furthest_u, path_u, optional_s, s):
    if furthest_u < 0:
        return False
    return ((path_u >> s) & 1) == 1 if optional_s else furthest_u >= s


@njit(cache=True, parallel=True)
def _count(furthest, path, optional, kept):
    n = len(optional)
    for u in prange(len(furthest)):
        k = 0
        previous = False
        for s in range(n):
            on = _reached(furthest[u], path[u], optional[s], s)
            if on or previous:
                k += 1
            previous = on
        kept[u] = k


@njit(cache=True, parallel=True)
def _unit_steps(furthest, times, path, optional, prev, first, unit, step, reached,
                reached_previous, reached_at, has_time, seconds, has_seconds):
    units, n = times.shape
    for u in prange(units):
        i = first[u]
        previous = False
        for s in range(n):
            on = _reached(furthest[u], path[u], optional[s], s)
            if on or previous:
                unit[i] = u
                step[i] = s
                reached_at[i] = times[u, s]
                has_time[i] = times[u, s] != NONE
                seconds[i] = np.nan
                has_seconds[i] = False
                if s > 0 and on and times[u, s] != NONE and times[u, prev[s]] != NONE:
                    seconds[i] = (times[u, s] - times[u, prev[s]]) / 1e6
                    has_seconds[i] = True
                reached[i] = on
                reached_previous[i] = previous
                i += 1
            previous = on
