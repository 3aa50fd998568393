"""Order events by (person, timestamp, tie-break) when person ids are integers in a dense range,
and walk each person's events with the funnel kernel as soon as they are in order.

A counting sort by person, then a sort of each person's few events, does in two passes what a
comparison sort of the whole table does in log2(rows) passes: for 9M step events of 1M persons
it takes a fraction of DuckDB's ORDER BY. The second pass works one bucket of persons at a time
in buffers that fit in cache, and the kernel walks each person there, so the sorted events are
never written out and read back. Ids that are text, have nulls or spread over a range much
wider than the row count (hashed ids) are left to DuckDB's sort (`engine.py`).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numba import get_num_threads, njit, prange

from pipeline.funnels import kernel
from pipeline.funnels.kernel import Walk

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
    bounds = pc.min_max(ids)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    slots = high - low + 1
    if slots > max(SLOTS_PER_ROW * len(ids), MIN_SLOTS) or slots >= 2 ** 31:
        return None
    return low, slots


def walk_by_person(events: pa.Table, low: int, slots: int, walk: Walk):
    """Put the events in (person, ts, tiebreak) order and walk each person's events with the
    funnel kernel while they are still in cache (nothing sorted is written back).

    `events` has integer columns person_id (no nulls; `dense_range` gave `low` and `slots`),
    ts, tiebreak (no nulls), step_mask and, for a funnel with exclusions, excl_mask. It is read
    chunk by chunk as DuckDB delivered it: joining the chunks first would copy every column.
    Returns (persons, furthest, excluded, times, path): `persons` each person's id, ascending
    (the order DuckDB's sort gives), then the kernel's outputs per person (`kernel.Walk`)."""
    batches = [b for b in events.to_batches() if b.num_rows]
    n = events.num_rows
    has_excl = "excl_mask" in events.column_names

    def column(batch, name, dtype):
        return batch.column(name).to_numpy().astype(dtype, copy=False)

    ids = [column(b, "person_id", np.int64) for b in batches]
    tiebreaks = [column(b, "tiebreak", np.int64) for b in batches]
    # Rows usually arrive in tie-break order (a file's row number): stable sorts by person and
    # then by ts keep it, so the tie-breaks need not be moved or compared.
    carry_tiebreak = not (all(_ascending(t) for t in tiebreaks) and
                          all(a[-1] <= b[0] for a, b in pairwise(tiebreaks)))
    parts = get_num_threads()
    shift = max(0, int(slots - 1).bit_length() - BUCKET_BITS)
    buckets = ((slots - 1) >> shift) + 1

    # Pass 1 places rows bucket by bucket and, within a bucket, in their order in the table
    # (chunk by chunk, each chunk cut into one run of rows per thread): a stable sort.
    counts = np.zeros((len(batches), parts, buckets), np.int64)
    for chunk, chunk_ids in enumerate(ids):
        _count_buckets(chunk_ids, np.int64(low), shift, counts[chunk])
    bucket_start = np.zeros(buckets + 1, np.int64)
    np.cumsum(counts.sum(axis=(0, 1)), out=bucket_start[1:])
    runs = counts.transpose(2, 0, 1).reshape(buckets, -1)
    fill = np.ascontiguousarray((bucket_start[:-1, None] + np.cumsum(runs, axis=1) - runs)
                                .reshape(buckets, len(batches), parts).transpose(1, 2, 0))
    # Allocated here, not inside the compiled code: NumPy asks the kernel for huge pages on big
    # arrays, which makes first writes to them several times cheaper (fewer page faults).
    key1, ts1, step1 = np.empty(n, np.int32), np.empty(n, np.int64), np.empty(n, np.int32)
    tiebreak1 = np.empty(n if carry_tiebreak else 0, np.int64)
    excl1 = np.empty(n if has_excl else 0, np.int32)
    for chunk, batch in enumerate(batches):
        _place(ids[chunk], np.int64(low), shift, column(batch, "ts", np.int64),
               tiebreaks[chunk] if carry_tiebreak else tiebreak1,
               column(batch, "step_mask", np.int32),
               column(batch, "excl_mask", np.int32) if has_excl else excl1,
               fill[chunk], key1, ts1, step1, tiebreak1, excl1)
    slot_counts = np.zeros(slots, np.int32)
    bucket_persons = np.empty(buckets, np.int64)
    _count_persons(key1, shift, bucket_start, slot_counts, bucket_persons)

    first_person = np.concatenate([[0], np.cumsum(bucket_persons)])
    persons = np.empty(first_person[-1], np.int64)
    results = kernel.outputs(len(persons), walk.n)
    _walk_buckets(np.int64(low), shift, slot_counts, bucket_start, first_person, key1, ts1,
                  step1, tiebreak1, excl1, carry_tiebreak, has_excl, walk.unordered, walk.n,
                  np.int64(walk.optional), np.int64(walk.window), walk.step_window,
                  walk.bounded, walk.strict, walk.bstep, persons, *results)
    return (persons, *results)


@njit(cache=True)
def _ascending(values):
    for i in range(1, len(values)):
        if values[i] < values[i - 1]:
            return False
    return True


@njit(cache=True, parallel=True)
def _count_buckets(ids, low, shift, counts):
    """Rows per bucket (the high bits of the person key) in each thread's run of the chunk."""
    parts = counts.shape[0]
    run = (len(ids) + parts - 1) // parts
    for part in prange(parts):
        for i in range(part * run, min(len(ids), (part + 1) * run)):
            counts[part, (ids[i] - low) >> shift] += 1


@njit(cache=True, parallel=True)
def _place(ids, low, shift, ts, tiebreak, step_mask, excl_mask, fill, key1, ts1, step1,
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
def _count_persons(key1, shift, bucket_start, slot_counts, bucket_persons):
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
def _walk_buckets(low, shift, slot_counts, bucket_start, first_person, key1, ts1, step1,
                  tiebreak1, excl1, carry_tiebreak, has_excl, unordered, n, optional, window,
                  step_window, bounded, strict, bstep, persons, furthest, excluded, out_times,
                  out_path):
    """Pass 2, one bucket per task: a counting sort of the bucket's rows by the low bits of the
    person key into buffers the size of the bucket, each person's events by (ts, tiebreak),
    and the kernel's walk of each person, whose results go to row `first_person[b] + k` for
    the bucket's k-th person."""
    slots = len(slot_counts)
    width = 1 << shift
    plain = kernel.plain_funnel(strict, optional, step_window, bounded, bstep)
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
        scratch = kernel.ordered_scratch(n)
        head = np.empty(n, np.int64)
        tail = np.empty(n, np.int64)
        best = np.zeros(1, np.int64)
        best_times = np.empty(n, np.int64)
        tmp = np.empty(n, np.int64)
        nxt = np.empty(rows if unordered else 0, np.int64)
        u = first_person[b]
        for d in range(size):
            a, z = begin[d], begin[d + 1]
            if a == z:
                continue
            _sort_person(a, z, ts, tiebreak, step_mask, excl_mask, carry_tiebreak, has_excl)
            persons[u] = first + d + low
            if unordered:
                kernel._unordered_unit(a, z, ts, step_mask, excl_mask, attr_ok, n, window,
                                       bstep, head, tail, nxt, best, best_times, tmp)
                kernel._unordered_result(u, n, best, best_times, furthest, excluded,
                                         out_times, out_path)
            else:
                kernel.ordered_walk_unit(u, a, z, ts, step_mask, excl_mask, attr_ok, n,
                                         optional, window, step_window, bounded, strict, bstep,
                                         plain, scratch, furthest, excluded, out_times,
                                         out_path)
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
