"""Order events by (person, timestamp, tie-break) when person ids are integers in a dense range.

A counting sort by person, then a sort of each person's few events, does in two passes what a
comparison sort of the whole table does in log2(rows) passes: for 9M step events of 1M persons
it takes a fraction of DuckDB's ORDER BY. Ids that are text, have nulls or spread over a range
much wider than the row count (hashed ids) are left to DuckDB's sort (`engine.py`).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numba import get_num_threads, njit, prange

# At most this many key slots per row (plus a floor): beyond it the counting array would cost
# more than the sort it saves.
SLOTS_PER_ROW = 2
MIN_SLOTS = 1 << 16
# A person with more events than this is sorted with a merge sort, not an insertion sort.
INSERTION_LIMIT = 48
# Pass 1 of the radix sort spreads rows over about 2**BUCKET_BITS buckets.
BUCKET_BITS = 8


def dense_range(ids: pa.ChunkedArray | pa.Array) -> tuple[int, int] | None:
    """(lowest id, number of key slots) when `ids` suit a counting sort, else None."""
    if not pa.types.is_integer(ids.type) or ids.null_count or len(ids) == 0:
        return None
    values = np.asarray(ids.to_numpy() if isinstance(ids, pa.Array) else
                        ids.combine_chunks().to_numpy())
    low, high = int(values.min()), int(values.max())
    slots = high - low + 1
    if slots > max(SLOTS_PER_ROW * len(values), MIN_SLOTS) or slots >= 2 ** 31:
        return None
    return low, slots


def sort_by_person(ids: np.ndarray, low: int, slots: int, ts: np.ndarray, tiebreak: np.ndarray,
                   step_mask: np.ndarray, excl_mask: np.ndarray | None):
    """The events in (person, ts, tiebreak) order.

    `excl_mask` may be None (a funnel without exclusions): it is then all zeros.
    Returns (starts, persons, ts, step_mask, excl_mask): `starts` holds each person's first row
    plus the end, `persons` each person's id, ascending (the order DuckDB's sort gives)."""
    n = len(ids)
    has_excl = excl_mask is not None
    excl_in = excl_mask.astype(np.int32, copy=False) if has_excl else np.zeros(0, np.int32)
    tiebreak = tiebreak.astype(np.int64, copy=False)
    # Rows usually arrive in tie-break order (a file's row number): stable sorts by person and
    # then by ts keep it, so the tie-breaks need not be moved or compared.
    carry_tiebreak = not _ascending(tiebreak)
    shift = max(0, int(slots - 1).bit_length() - BUCKET_BITS)
    carried = len(tiebreak) if carry_tiebreak else 0
    # Allocated here, not inside the compiled code: NumPy asks the kernel for huge pages on big
    # arrays, which makes first writes to them several times cheaper (fewer page faults).
    out = {"offsets": np.empty(slots + 1, np.int64),
           "key1": np.empty(n, np.int32), "ts1": np.empty(n, np.int64),
           "step1": np.empty(n, np.int32), "tiebreak1": np.empty(carried, np.int64),
           "excl1": np.empty(len(excl_in), np.int32),
           "ts2": np.empty(n, np.int64), "step2": np.empty(n, np.int32),
           "tiebreak2": np.empty(carried, np.int64), "excl2": np.empty(len(excl_in), np.int32)}
    _sort(ids.astype(np.int64, copy=False), np.int64(low), shift,
          ts.astype(np.int64, copy=False), tiebreak if carry_tiebreak else out["tiebreak1"],
          step_mask.astype(np.int32, copy=False), excl_in, get_num_threads(), **out)
    offsets, ts, step_mask, excl_out = out["offsets"], out["ts2"], out["step2"], out["excl2"]
    present = np.flatnonzero(offsets[1:] != offsets[:-1])
    starts = np.append(offsets[present], offsets[-1])
    return (starts, present + np.int64(low), ts, step_mask,
            excl_out if has_excl else np.zeros(n, np.int32))


@njit(cache=True)
def _ascending(values):
    for i in range(1, len(values)):
        if values[i] < values[i - 1]:
            return False
    return True


@njit(cache=True, parallel=True)
def _sort(ids, low, shift, ts, tiebreak, step_mask, excl_mask, parts,
          offsets, key1, ts1, step1, tiebreak1, excl1, ts2, step2, tiebreak2, excl2):
    """A two-pass radix sort by person, then each person's events by (ts, tiebreak).

    Pass 1 spreads rows over about 2**BUCKET_BITS buckets by the high bits of the person key
    (few destinations, so the scattered writes stay in cache); pass 2 sorts each bucket by the
    low bits, one bucket per task, and then each person's events while they are still in
    cache. Both passes are stable. `tiebreak` and `excl_mask` may be empty: not carried.
    Fills `offsets` (each person slot's first row, plus the end) and the sorted columns
    `ts2`, `step2`, `tiebreak2`, `excl2`; `*1` are pass 1's scratch arrays."""
    n = len(ids)
    slots = len(offsets) - 1
    carry_tiebreak = len(tiebreak) > 0
    has_excl = len(excl_mask) > 0
    buckets = ((slots - 1) >> shift) + 1
    chunk = (n + parts - 1) // parts

    # Pass 1: each thread counts, then places, its own contiguous run of rows; positions are
    # laid out bucket by bucket and, within a bucket, thread by thread, which keeps it stable.
    counts = np.zeros((parts, buckets), np.int64)
    for part in prange(parts):
        for i in range(part * chunk, min(n, (part + 1) * chunk)):
            counts[part, (ids[i] - low) >> shift] += 1
    fill = np.empty((parts, buckets), np.int64)
    bucket_start = np.empty(buckets + 1, np.int64)
    total = 0
    for b in range(buckets):
        bucket_start[b] = total
        for part in range(parts):
            fill[part, b] = total
            total += counts[part, b]
    bucket_start[buckets] = total
    for part in prange(parts):
        for i in range(part * chunk, min(n, (part + 1) * chunk)):
            k = ids[i] - low
            b = k >> shift
            p = fill[part, b]
            fill[part, b] = p + 1
            key1[p] = k
            _move(i, p, ts, step_mask, tiebreak, excl_mask, ts1, step1, tiebreak1, excl1,
                  carry_tiebreak, has_excl)

    # Pass 2: per bucket, a counting sort by the low bits, then each person's events by time.
    offsets[slots] = n
    width = 1 << shift
    for b in prange(buckets):
        lo, hi = bucket_start[b], bucket_start[b + 1]
        first = b << shift
        size = min(width, slots - first)
        place = np.zeros(size + 1, np.int64)
        for i in range(lo, hi):
            place[key1[i] - first + 1] += 1
        place[0] = lo
        for d in range(size):
            place[d + 1] += place[d]
        for d in range(size):
            offsets[first + d] = place[d]
        for i in range(lo, hi):
            d = key1[i] - first
            p = place[d]
            place[d] = p + 1
            _move(i, p, ts1, step1, tiebreak1, excl1, ts2, step2, tiebreak2, excl2,
                  carry_tiebreak, has_excl)
        for d in range(size):
            _sort_person(offsets[first + d], place[d], ts2, tiebreak2, step2, excl2,
                         carry_tiebreak, has_excl)


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
