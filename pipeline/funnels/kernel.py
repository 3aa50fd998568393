"""The funnel's compiled code: the per-person state machine, over NumPy arrays sorted by unit,
and at the end of the file the counting sort by person that feeds it (`dense_sort.py` calls
it).

Set-based SQL cannot reproduce PostHog's attempt rules exactly (every step-0 event restarts an
attempt, the furthest attempt wins, exclusions taint attempts, same-timestamp groups are
expanded), so DuckDB sorts and encodes the events and these kernels walk each unit's events once.

Input arrays, one entry per event, sorted by (unit, timestamp, tie-break):
- `starts`: int64 offsets of each unit's first event (length units + 1). A unit is a person, or
  a (person, breakdown value) pair.
- `ts`: int64 microseconds since the epoch.
- `step_mask`: bit s set when the event matches step s.
- `excl_mask`: bit s set when the event is an exclusion guarding step s-1 -> s (ordered/strict);
  any bit for unordered funnels.
- `attr_ok`: False when the event's breakdown value differs from its unit's value (step-N
  attribution: such an event cannot fill step N).

Per-step settings, arrays of length n (ordered and strict funnels):
- `step_window`: microseconds within which step s must follow the previous step on the path,
  or -1 for none (step 0 never has one).
- `bounded`: False when step s is not bound by the funnel window from step 0 (a map's
  milestones after its endpoint); it must then have a `step_window`.

Outputs per unit: `furthest` (-1: not in the funnel), `excluded` (removed by an exclusion),
`times[u, s]` (the credited path's event time per step, NONE where the step is not on it) and
`path` (bit s set when step s is on the credited path).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, prange

NONE = np.iinfo(np.int64).min
# The counting sort sorts a person with more events than this with a merge sort, not an insertion
# sort.
INSERTION_LIMIT = 48


@njit(cache=True, inline="always")
def _copy_row(src, dst, is_set, t0, excl, path, times, ev, n):
    is_set[dst] = is_set[src]
    t0[dst] = t0[src]
    excl[dst] = excl[src]
    path[dst] = path[src]
    for q in range(n):
        times[dst, q] = times[src, q]
        ev[dst, q] = ev[src, q]


@njit(cache=True, inline="always")
def _clear_row(r, is_set, t0, excl, path, times, ev, n):
    is_set[r] = False
    t0[r] = 0
    excl[r] = False
    path[r] = 0
    for q in range(n):
        times[r, q] = NONE
        ev[r, q] = -1


@njit(cache=True, inline="always")
def _reachable(is_set_r, t0_r, previous_time, reached, bounded_s, step_window_s, t, window):
    """Can an attempt (set, started at t0_r, which has reached `reached` steps, the last at
    `previous_time`) take a step with these settings at time t?

    Scalars only: arrays handed to a helper cost reference counting on every call (3x the
    kernel's time). `previous_time` is ignored when `reached` is 0 (callers read column -1)."""
    if not is_set_r:
        return False
    if bounded_s and t - t0_r > window:
        return False
    # The sentinel "entered now" has reached nothing: step 0 has no previous step.
    return reached == 0 or step_window_s < 0 or t - previous_time <= step_window_s


# Inlined: it runs once per event, and a call that passes a dozen arrays cost 4x the work.
@njit(cache=True, inline="always")
def _process_event(e, t, smask, xmask, multiple, attr_ok_e, n, optional, window, step_window,
                   bounded, strict, bstep, is_set, t0, excl, path, times, ev, state):
    """One event against the stored attempts (PostHog steps.rs `process_event`).

    Rows 0..n of the state arrays are the stored attempts by 1-based step (row 0 is the
    sentinel for the current timestamp), row n+1 is the furthest attempt, row n+2 scratch.
    `state[0]` is the furthest step reached (1-based, 0 = none).
    """
    M = n + 1
    TMP = n + 2
    # Exclusions first, then steps, each from the highest down, against the state before the
    # event: an event therefore advances an attempt by at most one step.
    for pass_ in range(2):
        is_exclusion = pass_ == 0
        mask = xmask if is_exclusion else smask
        if mask == 0:
            continue
        for s in range(n - 1, -1, -1):
            if not (mask >> s) & 1:
                continue
            j = s + 1
            prev = j - 1
            in_window = _reachable(is_set[prev], t0[prev], times[prev, prev - 1], prev,
                                   bounded[s], step_window[s], t, window)
            # A step may extend the nearest earlier reached step, searching back through
            # optional steps only.
            while prev > 0 and not in_window and (optional >> (prev - 1)) & 1:
                prev -= 1
                in_window = _reachable(is_set[prev], t0[prev], times[prev, prev - 1], prev,
                                       bounded[s], step_window[s], t, window)
            already = is_set[j] and is_set[prev] and t0[j] == t0[prev]
            if not in_window or already:
                continue
            if is_exclusion:
                if not excl[prev]:
                    excl[prev] = True
                    # The furthest attempt is tainted only while it could still go on.
                    if state[0] == prev and _reachable(is_set[M], t0[M], times[M, prev - 1],
                                                       prev, bounded[s], step_window[s], t,
                                                       window):
                        excl[M] = True
                continue
            if bstep == s and not attr_ok_e:
                continue
            if multiple:
                used = False
                for q in range(n):
                    if ev[prev, q] == e:
                        used = True
                if used:
                    continue
            _copy_row(prev, TMP, is_set, t0, excl, path, times, ev, n)
            times[TMP, s] = t
            ev[TMP, s] = e
            path[TMP] |= np.int64(1) << s
            is_set[TMP] = True
            if not excl[prev]:
                _copy_row(TMP, j, is_set, t0, excl, path, times, ev, n)
            if j > state[0] or (j == state[0] and excl[M]):
                _copy_row(TMP, M, is_set, t0, excl, path, times, ev, n)
                state[0] = j
    if strict and not multiple:
        # Strict: the next event of any kind must be the next step, so every stored attempt the
        # event did not extend is cleared.
        for j in range(1, n + 1):
            if not (smask >> (j - 1)) & 1:
                _clear_row(j, is_set, t0, excl, path, times, ev, n)


@njit(cache=True)
def _ordered_unit(lo, hi, ts, step_mask, excl_mask, attr_ok, n, optional, window, step_window,
                  bounded, strict, bstep, is_set, t0, excl, path, times, ev, state):
    for r in range(n + 3):
        _clear_row(r, is_set, t0, excl, path, times, ev, n)
    state[0] = 0
    # Before the first step-0 event no attempt exists for any event to extend, taint or clear,
    # so evaluation starts at that event's timestamp group (a same-time group is taken whole).
    i = lo
    while i < hi and not step_mask[i] & 1:
        i += 1
    while lo < i < hi and ts[i - 1] == ts[i]:
        i -= 1
    while i < hi:
        t = ts[i]
        g = i + 1
        while g < hi and ts[g] == t:
            g += 1
        # Row 0: the sentinel attempt "entered now", which step 0 extends. Its times, events
        # and path keep the values the unit's clear gave them (steps copy the row to the
        # scratch row and write there), so only its flags are set: a full clear per event
        # was a fifth of the kernel's time.
        is_set[0] = True
        t0[0] = t
        excl[0] = False
        same = True
        for k in range(i + 1, g):
            if step_mask[k] != step_mask[i] or excl_mask[k] != excl_mask[i]:
                same = False
        if same:
            for e in range(i, g):
                _process_event(e, t, step_mask[e], excl_mask[e], False, attr_ok[e], n, optional,
                               window, step_window, bounded, strict, bstep, is_set, t0, excl,
                               path, times, ev, state)
        else:
            # A mixed same-timestamp group: one candidate per (event, step), by step ascending,
            # with exclusions and strict clearing off, never reusing an event on the path.
            for s in range(n):
                bit = np.int64(1) << s
                for e in range(i, g):
                    if step_mask[e] & bit:
                        _process_event(e, t, bit, np.int64(0), True, attr_ok[e], n, optional,
                                       window, step_window, bounded, strict, bstep, is_set, t0,
                                       excl, path, times, ev, state)
        if is_set[n]:
            break  # the first complete attempt ends the evaluation
        i = g


# The plain path keeps a chain of (time, previous) nodes per stored attempt; a unit with more
# step matches than this takes the general path.
NODES = 4096


@njit(cache=True, inline="always")
def plain_funnel(strict, optional, step_window, bounded, bstep):
    """Ordered, no optional steps, no step windows or steps outside the window, no step
    attribution: the settings under which `_plain_unit` gives `_ordered_unit`'s results."""
    if strict or optional != 0 or bstep >= 0:
        return False
    for s in range(len(step_window)):
        if step_window[s] >= 0 or not bounded[s]:
            return False
    return True


@njit(cache=True, inline="always")
def _plain_unit_events(lo, hi, ts, excl_mask, n):
    """No two events at one time and no exclusion event: a unit `_plain_unit` can walk."""
    if (hi - lo) * n > NODES:
        return False
    for i in range(lo, hi):
        if excl_mask[i] != 0 or (i > lo and ts[i] == ts[i - 1]):
            return False
    return True


@njit(cache=True)
def _plain_unit(u, lo, hi, ts, step_mask, n, window, stored, t0, node, node_time, node_parent,
                furthest, excluded, out_times, out_path):
    """`_ordered_unit` and `_ordered_result` for a plain funnel (`plain_funnel`) over a unit
    with no ties and no exclusion events (`_plain_unit_events`). The rules then reduce to: a
    step-0 event stores a new attempt at step 1; an event of step s extends the attempt stored
    at step s, if it is still within the window from its start, to step s+1, unless the
    attempt stored there started at the same time. With no row of times to copy per attempt,
    each stored attempt is the last node of a chain of (time, previous node)."""
    for j in range(n + 1):
        stored[j] = False
    level = 0
    best = -1
    nodes = 0
    i = lo
    while i < hi and not step_mask[i] & 1:
        i += 1
    for e in range(i, hi):
        t = ts[e]
        mask = step_mask[e]
        # From the highest step down, as `_process_event`: one event advances an attempt by
        # at most one step.
        for s in range(n - 1, -1, -1):
            if not (mask >> s) & 1:
                continue
            if s == 0:
                start, previous = t, np.int64(-1)
            elif stored[s] and t - t0[s] <= window:
                start, previous = t0[s], node[s]
            else:
                continue
            j = s + 1
            if stored[j] and t0[j] == start:
                continue
            node_time[nodes] = t
            node_parent[nodes] = previous
            stored[j] = True
            t0[j] = start
            node[j] = nodes
            if j > level:
                level, best = j, nodes
            nodes += 1
        if stored[n]:
            break  # the first complete attempt ends the evaluation
    _no_result(u, n, furthest, excluded, out_times, out_path)
    if level == 0:
        return
    furthest[u] = level - 1
    out_path[u] = (np.int64(1) << level) - 1
    k = best
    for q in range(level - 1, -1, -1):
        out_times[u, q] = node_time[k]
        k = node_parent[k]


@njit(cache=True)
def ordered_scratch(n):
    """One thread's working state for `ordered_walk_unit`, reused from unit to unit."""
    return (np.zeros(n + 3, np.bool_), np.zeros(n + 3, np.int64), np.zeros(n + 3, np.bool_),
            np.zeros(n + 3, np.int64), np.full((n + 3, n), NONE, np.int64),
            np.full((n + 3, n), -1, np.int64), np.zeros(1, np.int64),
            np.empty(NODES, np.int64), np.empty(NODES, np.int64))


@njit(cache=True, inline="always")
def ordered_walk_unit(u, lo, hi, ts, step_mask, excl_mask, attr_ok, n, optional, window,
                      step_window, bounded, strict, bstep, plain, scratch, furthest, excluded,
                      out_times, out_path):
    """Walk unit u's events (rows lo..hi) and write its outputs. `plain`: `plain_funnel` of the
    settings; such a funnel takes the plain path for every unit it can (on the benchmark's
    20M events, about 1.7x faster than the general one)."""
    is_set, t0, excl, path, times, ev, state, node_time, node_parent = scratch
    if plain and _plain_unit_events(lo, hi, ts, excl_mask, n):
        # The general state's per-step flags, starts and paths serve as the plain path's.
        _plain_unit(u, lo, hi, ts, step_mask, n, window, is_set, t0, path, node_time,
                    node_parent, furthest, excluded, out_times, out_path)
        return
    _ordered_unit(lo, hi, ts, step_mask, excl_mask, attr_ok, n, optional, window, step_window,
                  bounded, strict, bstep, is_set, t0, excl, path, times, ev, state)
    _ordered_result(u, n, excl, path, times, state, furthest, excluded, out_times, out_path)


def outputs(units: int, n: int):
    """The kernels' per-unit outputs (furthest, excluded, times, path), allocated by NumPy: it
    asks the kernel for huge pages on big arrays, so the kernels' first writes cost far fewer
    page faults than numba's allocations."""
    return (np.empty(units, np.int8), np.empty(units, np.bool_), np.empty((units, n), np.int64),
            np.empty(units, np.int64))


@dataclass(frozen=True)
class Walk:
    """How each unit's events are walked: the funnel's order and its per-step settings (the
    module docstring). `optional`: bit s set for an optional step s; `window`: microseconds;
    `bstep`: the step whose breakdown value is attributed (-1: none)."""

    n: int
    unordered: bool
    strict: bool
    optional: int
    window: int
    step_window: np.ndarray
    bounded: np.ndarray
    bstep: int = -1

    def run(self, starts, ts, step_mask, excl_mask, attr_ok):
        """(furthest, excluded, times, path) per unit of events sorted by (unit, ts, tiebreak)."""
        out = outputs(starts.shape[0] - 1, self.n)
        if self.unordered:
            _unordered_funnel(starts, ts, step_mask, excl_mask, attr_ok, self.n,
                              np.int64(self.window), self.bstep,
                              np.full(ts.shape[0], -1, np.int64), *out)
        else:
            _ordered_funnel(starts, ts, step_mask, excl_mask, attr_ok, self.n,
                            np.int64(self.optional), np.int64(self.window), self.step_window,
                            self.bounded, self.strict, self.bstep, *out)
        return out


@njit(cache=True, parallel=True)
def _ordered_funnel(starts, ts, step_mask, excl_mask, attr_ok, n, optional, window, step_window,
                    bounded, strict, bstep, furthest, excluded, out_times, out_path):
    units = starts.shape[0] - 1
    chunks = min(units, 64) if units > 0 else 0
    plain = plain_funnel(strict, optional, step_window, bounded, bstep)
    for c in prange(chunks):
        scratch = ordered_scratch(n)
        for u in range(c * units // chunks, (c + 1) * units // chunks):
            ordered_walk_unit(u, starts[u], starts[u + 1], ts, step_mask, excl_mask, attr_ok, n,
                              optional, window, step_window, bounded, strict, bstep, plain,
                              scratch, furthest, excluded, out_times, out_path)


@njit(cache=True, inline="always")
def _no_result(u, n, furthest, excluded, out_times, out_path):
    """Unit u as not in the funnel; the callers then fill in what it reached."""
    furthest[u] = -1
    excluded[u] = False
    out_path[u] = 0
    for q in range(n):
        out_times[u, q] = NONE


@njit(cache=True, inline="always")
def _ordered_result(u, n, excl, path, times, state, furthest, excluded, out_times, out_path):
    """Unit u's outputs from its furthest attempt (row n+1 of the state)."""
    M = n + 1
    _no_result(u, n, furthest, excluded, out_times, out_path)
    if state[0] == 0:
        return
    if excl[M]:
        excluded[u] = True
        return
    furthest[u] = state[0] - 1
    out_path[u] = path[M]
    for q in range(n):
        out_times[u, q] = times[M, q]


@njit(cache=True)
def _unordered_update_max(n, ts, head, completed, best, best_times, tmp):
    if completed <= best[0]:
        return
    k = 0
    for s in range(n):
        if head[s] >= 0:
            tmp[k] = ts[head[s]]
            k += 1
    tmp[:k].sort()
    for q in range(n):
        best_times[q] = tmp[q] if q < k else NONE
    best[0] = completed


@njit(cache=True)
def _unordered_unit(lo, hi, ts, step_mask, excl_mask, attr_ok, n, window, bstep,
                    head, tail, nxt, best, best_times, tmp):
    """PostHog unordered_steps.rs: per step, a queue of the events within W of the newest."""
    for s in range(n):
        head[s] = -1
        tail[s] = -1
        best_times[s] = NONE
    best[0] = 0
    completed = 0
    for e in range(lo, hi):
        t = ts[e]
        while True:
            oldest = -1
            for s in range(n):
                if head[s] >= 0 and (oldest < 0 or ts[head[s]] < ts[head[oldest]]):
                    oldest = s
            if oldest < 0:
                break
            if completed < n and ts[head[oldest]] + window >= t:
                break
            # Record the best distinct count before the oldest event leaves the window.
            _unordered_update_max(n, ts, head, completed, best, best_times, tmp)
            head[oldest] = nxt[head[oldest]]
            if head[oldest] < 0:
                tail[oldest] = -1
                completed -= 1
        if step_mask[e] == 0:
            if excl_mask[e] != 0:
                # An exclusion discards the current window's progress without crediting it.
                for s in range(n):
                    head[s] = -1
                    tail[s] = -1
                completed = 0
        else:
            # The step whose latest kept event is oldest (unfilled steps first).
            pick = -1
            for s in range(n):
                if (step_mask[e] >> s) & 1:
                    latest = ts[tail[s]] if tail[s] >= 0 else NONE
                    if pick < 0 or latest < (ts[tail[pick]] if tail[pick] >= 0 else NONE):
                        pick = s
            if not (bstep >= 0 and completed == bstep and not attr_ok[e]):
                if head[pick] < 0:
                    completed += 1
                    head[pick] = e
                else:
                    nxt[tail[pick]] = e
                tail[pick] = e
                nxt[e] = -1
        if best[0] == n:
            break
        if e == hi - 1:
            _unordered_update_max(n, ts, head, completed, best, best_times, tmp)


@njit(cache=True, parallel=True)
def _unordered_funnel(starts, ts, step_mask, excl_mask, attr_ok, n, window, bstep, nxt,
                      furthest, excluded, out_times, out_path):
    units = starts.shape[0] - 1
    chunks = min(units, 64) if units > 0 else 0
    for c in prange(chunks):
        scratch = unordered_scratch(n)
        for u in range(c * units // chunks, (c + 1) * units // chunks):
            unordered_walk_unit(u, starts[u], starts[u + 1], ts, step_mask, excl_mask, attr_ok,
                                n, window, bstep, nxt, scratch, furthest, excluded, out_times,
                                out_path)


@njit(cache=True)
def unordered_scratch(n):
    """One thread's working state for `unordered_walk_unit`, reused from unit to unit (the
    per-event `nxt` links are passed apart: they are as long as the events)."""
    return (np.empty(n, np.int64), np.empty(n, np.int64), np.zeros(1, np.int64),
            np.empty(n, np.int64), np.empty(n, np.int64))


@njit(cache=True, inline="always")
def unordered_walk_unit(u, lo, hi, ts, step_mask, excl_mask, attr_ok, n, window, bstep, nxt,
                        scratch, furthest, excluded, out_times, out_path):
    """Walk unit u's events (rows lo..hi) of an unordered funnel and write its outputs."""
    head, tail, best, best_times, tmp = scratch
    _unordered_unit(lo, hi, ts, step_mask, excl_mask, attr_ok, n, window, bstep, head, tail,
                    nxt, best, best_times, tmp)
    _unordered_result(u, n, best, best_times, furthest, excluded, out_times, out_path)


@njit(cache=True, inline="always")
def _unordered_result(u, n, best, best_times, furthest, excluded, out_times, out_path):
    """Unit u's outputs from its best window."""
    _no_result(u, n, furthest, excluded, out_times, out_path)
    if best[0] == 0:
        return
    furthest[u] = best[0] - 1
    out_path[u] = (np.int64(1) << best[0]) - 1
    for q in range(n):
        out_times[u, q] = best_times[q]


# The counting sort by person (dense_sort.py) and its walk: here, not there, because numba's
# cache only notices changes to the file a compiled function is in, and the walk compiles the
# state machines above into itself.


@njit(cache=True)
def ascending(values):
    for i in range(1, len(values)):
        if values[i] < values[i - 1]:
            return False
    return True


@njit(cache=True, parallel=True)
def count_buckets(ids, low, shift, counts):
    """Rows per bucket (the high bits of the person key) in each thread's run of the chunk."""
    parts = counts.shape[0]
    run = (len(ids) + parts - 1) // parts
    for part in prange(parts):
        for i in range(part * run, min(len(ids), (part + 1) * run)):
            counts[part, (ids[i] - low) >> shift] += 1


@njit(cache=True, parallel=True)
def place(ids, low, shift, ts, tiebreak, step_mask, excl_mask, fill, key1, ts1, step1,
          tiebreak1, excl1):
    """Pass 1 of a two-pass radix sort by person, for one chunk: each row goes to the next free
    position of its bucket (`fill`, per thread's run) in `key1`, `ts1`, `step1` and, when they
    are carried (not empty), `tiebreak1` and `excl1`. Few destinations, so the scattered writes
    stay in cache."""
    carry_tiebreak = len(tiebreak1) > 0
    has_excl = len(excl1) > 0
    parts = fill.shape[0]
    run = (len(ids) + parts - 1) // parts
    for part in prange(parts):
        for i in range(part * run, min(len(ids), (part + 1) * run)):
            k = ids[i] - low
            b = k >> shift
            p = fill[part, b]
            fill[part, b] = p + 1
            key1[p] = k
            _move(i, p, ts, step_mask, tiebreak, excl_mask, ts1, step1, tiebreak1, excl1,
                  carry_tiebreak, has_excl)


@njit(cache=True, parallel=True)
def count_persons(key1, shift, bucket_start, slot_counts, bucket_persons):
    """Rows per person slot, and persons per bucket: where pass 2 puts each person's results."""
    slots = len(slot_counts)
    for b in prange(len(bucket_persons)):
        for i in range(bucket_start[b], bucket_start[b + 1]):
            slot_counts[key1[i]] += 1
        present = 0
        for k in range(b << shift, min((b + 1) << shift, slots)):
            if slot_counts[k] > 0:
                present += 1
        bucket_persons[b] = present


@njit(cache=True, parallel=True)
def walk_buckets(low, shift, slot_counts, bucket_start, first_person, key1, ts1, step1,
                 tiebreak1, excl1, carry_tiebreak, has_excl, unordered, n, optional, window,
                 step_window, bounded, strict, bstep, persons, furthest, excluded, out_times,
                 out_path):
    """Pass 2, one bucket per task: a counting sort of the bucket's rows by the low bits of the
    person key into buffers the size of the bucket, each person's events by (ts, tiebreak),
    and the kernel's walk of each person, whose results go to row `first_person[b] + k` for
    the bucket's k-th person."""
    slots = len(slot_counts)
    width = 1 << shift
    plain = plain_funnel(strict, optional, step_window, bounded, bstep)
    for b in prange(len(bucket_start) - 1):
        lo, hi = bucket_start[b], bucket_start[b + 1]
        rows = hi - lo
        first = b << shift
        size = min(width, slots - first)
        begin = np.empty(size + 1, np.int64)
        begin[0] = 0
        for d in range(size):
            begin[d + 1] = begin[d] + slot_counts[first + d]
        place = begin[:size].copy()
        ts = np.empty(rows, np.int64)
        step_mask = np.empty(rows, np.int32)
        tiebreak = np.empty(rows if carry_tiebreak else 0, np.int64)
        # The kernels read an exclusion mask and an attribution flag for every event.
        excl_mask = np.zeros(rows, np.int32)
        attr_ok = np.ones(rows, np.bool_)
        for i in range(lo, hi):
            d = key1[i] - first
            p = place[d]
            place[d] = p + 1
            _move(i, p, ts1, step1, tiebreak1, excl1, ts, step_mask, tiebreak, excl_mask,
                  carry_tiebreak, has_excl)
        # The kernels' working state, reused by every person of the bucket.
        ordered_state = ordered_scratch(n)
        unordered_state = unordered_scratch(n)
        nxt = np.empty(rows if unordered else 0, np.int64)
        u = first_person[b]
        for d in range(size):
            a, z = begin[d], begin[d + 1]
            if a == z:
                continue
            _sort_person(a, z, ts, tiebreak, step_mask, excl_mask, carry_tiebreak, has_excl)
            persons[u] = first + d + low
            if unordered:
                unordered_walk_unit(u, a, z, ts, step_mask, excl_mask, attr_ok, n, window,
                                    bstep, nxt, unordered_state, furthest, excluded, out_times,
                                    out_path)
            else:
                ordered_walk_unit(u, a, z, ts, step_mask, excl_mask, attr_ok, n, optional,
                                  window, step_window, bounded, strict, bstep, plain,
                                  ordered_state, furthest, excluded, out_times, out_path)
            u += 1


@njit(cache=True, inline="always")
def _move(src, dst, ts, step_mask, tiebreak, excl_mask, ts_out, step_out, tiebreak_out,
          excl_out, carry_tiebreak, has_excl):
    """Row `src` of the event columns to row `dst` of the output columns (the same arrays when
    shifting in place); the tie-break and exclusion columns only when they are carried."""
    ts_out[dst] = ts[src]
    step_out[dst] = step_mask[src]
    if carry_tiebreak:
        tiebreak_out[dst] = tiebreak[src]
    if has_excl:
        excl_out[dst] = excl_mask[src]


@njit(cache=True, inline="always")
def _sort_person(lo, hi, ts, tiebreak, step_mask, excl_mask, carry_tiebreak, has_excl):
    """One person's events by (ts, tiebreak), in place and stable."""
    if hi - lo <= INSERTION_LIMIT:
        for i in range(lo + 1, hi):
            t, s = ts[i], step_mask[i]
            b = tiebreak[i] if carry_tiebreak else 0
            e = excl_mask[i] if has_excl else 0
            j = i - 1
            while j >= lo and (ts[j] > t or (carry_tiebreak and ts[j] == t and tiebreak[j] > b)):
                _move(j, j + 1, ts, step_mask, tiebreak, excl_mask, ts, step_mask, tiebreak,
                      excl_mask, carry_tiebreak, has_excl)
                j -= 1
            ts[j + 1], step_mask[j + 1] = t, s
            if carry_tiebreak:
                tiebreak[j + 1] = b
            if has_excl:
                excl_mask[j + 1] = e
    else:
        # Stable sorts, least significant key first: by tiebreak, then by ts.
        order = np.arange(hi - lo)
        if carry_tiebreak:
            order = np.argsort(tiebreak[lo:hi], kind="mergesort")
        order = order[np.argsort(ts[lo:hi][order], kind="mergesort")]
        ts[lo:hi] = ts[lo:hi][order]
        step_mask[lo:hi] = step_mask[lo:hi][order]
        if carry_tiebreak:
            tiebreak[lo:hi] = tiebreak[lo:hi][order]
        if has_excl:
            excl_mask[lo:hi] = excl_mask[lo:hi][order]
