"""Order events by (person, timestamp, tie-break) when person ids are integers in a dense range,
and walk each person's events with the funnel kernel as soon as they are in order.

A counting sort by person, then a sort of each person's few events, does in two passes what a
comparison sort of the whole table does in log2(rows) passes: for 9M step events of 1M persons
it takes a fraction of DuckDB's ORDER BY. The second pass works one bucket of persons at a time
in buffers that fit in cache, and the kernel walks each person there, so the sorted events are
never written out and read back. Ids that are text, have nulls or spread over a range much
wider than the row count (hashed ids) are left to DuckDB's sort (`engine.py`).

This module plans the sort; its compiled passes are at the end of `kernel.py`.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numba import get_num_threads

from pipeline.funnels import kernel
from pipeline.funnels.kernel import Walk

# At most this many key slots per row (plus a floor): beyond it the counting array would cost
# more than the sort it saves.
SLOTS_PER_ROW = 2
MIN_SLOTS = 1 << 16
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
    carry_tiebreak = not (all(kernel.ascending(t) for t in tiebreaks) and
                          all(a[-1] <= b[0] for a, b in pairwise(tiebreaks)))
    parts = get_num_threads()
    shift = max(0, int(slots - 1).bit_length() - BUCKET_BITS)
    buckets = ((slots - 1) >> shift) + 1

    # Pass 1 places rows bucket by bucket and, within a bucket, in their order in the table
    # (chunk by chunk, each chunk cut into one run of rows per thread): a stable sort.
    counts = np.zeros((len(batches), parts, buckets), np.int64)
    for chunk, chunk_ids in enumerate(ids):
        kernel.count_buckets(chunk_ids, np.int64(low), shift, counts[chunk])
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
        kernel.place(ids[chunk], np.int64(low), shift, column(batch, "ts", np.int64),
                     tiebreaks[chunk] if carry_tiebreak else tiebreak1,
                     column(batch, "step_mask", np.int32),
                     column(batch, "excl_mask", np.int32) if has_excl else excl1,
                     fill[chunk], key1, ts1, step1, tiebreak1, excl1)
    slot_counts = np.zeros(slots, np.int32)
    bucket_persons = np.empty(buckets, np.int64)
    kernel.count_persons(key1, shift, bucket_start, slot_counts, bucket_persons)

    first_person = np.concatenate([[0], np.cumsum(bucket_persons)])
    persons = np.empty(first_person[-1], np.int64)
    results = kernel.outputs(len(persons), walk.n)
    kernel.walk_buckets(np.int64(low), shift, slot_counts, bucket_start, first_person, key1,
                        ts1, step1, tiebreak1, excl1, carry_tiebreak, has_excl, walk.unordered,
                        walk.n, np.int64(walk.optional), np.int64(walk.window),
                        walk.step_window, walk.bounded, walk.strict, walk.bstep, persons,
                        *results)
    return (persons, *results)
