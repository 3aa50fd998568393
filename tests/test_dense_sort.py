"""The counting sort for integer person ids (pipeline/funnels/dense_sort.py) walks every person's
events in exactly the order of a plain sort by (person, ts, tiebreak): its results equal those
of the kernel run over a NumPy lexsort of the same events. It declines ids it does not suit."""

from itertools import pairwise

import numpy as np
import pyarrow as pa
import pytest

from pipeline.funnels.dense_sort import dense_range, walk_by_person
from pipeline.funnels.kernel import INSERTION_LIMIT, NODES, Walk, plain_funnel

N = 5
WALKS = {
    "plain": Walk(n=N, unordered=False, strict=False, optional=0, window=12_000_000,
                  step_window=np.full(N, -1), bounded=np.ones(N, np.bool_)),
    # Step 2 optional, step 3 within 5 s of step 2, a 12 s funnel window: every rule that
    # makes the result depend on which event comes first.
    "ordered": Walk(n=N, unordered=False, strict=False, optional=0b100, window=12_000_000,
                    step_window=np.array([-1, -1, -1, 5_000_000, -1]),
                    bounded=np.ones(N, np.bool_)),
    "strict": Walk(n=N, unordered=False, strict=True, optional=0, window=12_000_000,
                   step_window=np.full(N, -1), bounded=np.ones(N, np.bool_)),
    "unordered": Walk(n=N, unordered=True, strict=False, optional=0, window=6_000_000,
                      step_window=np.full(N, -1), bounded=np.ones(N, np.bool_)),
}


def reference(ids, ts, tiebreak, step_mask, excl_mask, walk):
    order = np.lexsort((tiebreak, ts, ids))
    persons, firsts = np.unique(ids[order], return_index=True)
    starts = np.append(firsts, len(ids)).astype(np.int64)
    results = walk.run(starts, ts[order], step_mask[order], excl_mask[order],
                       np.ones(len(ids), np.bool_))
    return (persons, *results)


def events(rng, rows, persons, low=0, heavy=0, times=20, exclusions=0.1):
    """Random events: few distinct times (many ties), tie-breaks in no particular order, a gap
    of ids nobody has, and `heavy` events for one person (past the insertion-sort limit)."""
    ids = rng.integers(low, low + persons, rows)
    ids = np.where(ids == low + persons // 2, low, ids)  # an id in the range nobody has
    ids = np.concatenate([ids, np.full(heavy, low + 1)])
    n = len(ids)
    ts = rng.integers(0, times, n) * (20_000_000 // times)
    tiebreak = rng.permutation(n)
    # Mostly one step per event, some events matching several steps, some exclusions.
    step_mask = np.where(rng.random(n) < 0.9, 1 << rng.integers(0, N, n),
                         rng.integers(0, 1 << N, n)).astype(np.int32)
    excl_mask = np.where(rng.random(n) < exclusions, 1 << rng.integers(1, N, n), 0)
    return ids, ts, tiebreak, step_mask, excl_mask.astype(np.int32)


def as_table(ids, ts, tiebreak, step_mask, excl_mask, chunks):
    """The events as DuckDB hands them over: a table in several record batches (one empty)."""
    columns = {"person_id": ids, "ts": ts, "tiebreak": tiebreak, "step_mask": step_mask}
    if excl_mask is not None:
        columns["excl_mask"] = excl_mask
    cuts = list(np.linspace(0, len(ids), chunks + 1).astype(int)) + [len(ids)]
    return pa.Table.from_batches([
        pa.record_batch({name: values[lo:hi] for name, values in columns.items()})
        for lo, hi in pairwise(cuts)])


@pytest.mark.parametrize("rows, persons, low, heavy", [
    (1, 1, 0, 0),
    (50, 7, -3, 0),  # negative ids
    (5_000, 300, 1_000_000, 0),  # ids far from zero, a few buckets
    (20_000, 5_000, 17, 3 * INSERTION_LIMIT),  # many buckets and one heavy person
])
@pytest.mark.parametrize("tiebreak_order", ["shuffled", "ascending", "ascending per chunk"])
@pytest.mark.parametrize("mode", list(WALKS))
def test_same_results_as_after_a_plain_sort(rows, persons, low, heavy, tiebreak_order, mode):
    rng = np.random.default_rng(rows + persons)
    ids, ts, tiebreak, step_mask, excl_mask = events(rng, rows, persons, low, heavy)
    n = len(ids)
    if tiebreak_order == "ascending":  # rows in tie-break order: the sort relies on stability
        tiebreak = np.arange(n)
    elif tiebreak_order == "ascending per chunk":  # but not across chunks: must be carried
        tiebreak = np.concatenate([np.arange(n // 2) + n, np.arange(n - n // 2)])
    expected = reference(ids, ts, tiebreak, step_mask, excl_mask, WALKS[mode])
    lowest, slots = dense_range(pa.array(ids))
    got = walk_by_person(as_table(ids, ts, tiebreak, step_mask, excl_mask, 2), lowest, slots,
                         WALKS[mode])
    for name, want, have in zip(["persons", "furthest", "excluded", "times", "path"],
                                expected, got):
        np.testing.assert_array_equal(have, want, err_msg=name)


def test_without_an_exclusion_column_no_event_is_an_exclusion():
    rng = np.random.default_rng(3)
    ids, ts, tiebreak, step_mask, _ = events(rng, 1_000, 100)
    none = np.zeros(len(ids), np.int32)
    expected = reference(ids, ts, tiebreak, step_mask, none, WALKS["ordered"])
    lowest, slots = dense_range(pa.array(ids))
    got = walk_by_person(as_table(ids, ts, tiebreak, step_mask, None, 3), lowest, slots,
                         WALKS["ordered"])
    for want, have in zip(expected, got):
        np.testing.assert_array_equal(have, want)


def test_ids_that_do_not_suit_a_counting_sort_are_declined():
    assert dense_range(pa.array([5, 3, 4], pa.int32())) == (3, 3)
    assert dense_range(pa.chunked_array([[7, 9], [8]])) == (7, 3)
    assert dense_range(pa.array(["p1", "p2"])) is None  # text
    assert dense_range(pa.array([1, None, 2])) is None  # nulls
    assert dense_range(pa.array([], pa.int64())) is None
    # Spread much wider than the rows (hashed ids): the counting array would cost too much.
    assert dense_range(pa.array([0, 10 ** 12])) is None
    # Small ranges are always fine, whatever the row count.
    assert dense_range(pa.array([0, 60_000])) == (0, 60_001)


@pytest.mark.parametrize("times, exclusions", [(10 ** 6, 0.0), (10 ** 6, 0.02), (20, 0.1)])
def test_the_plain_path_gives_the_general_kernels_results(times, exclusions):
    """A plain ordered funnel (kernel.plain_funnel) walks units without ties or exclusion
    events on a shorter path. A step window as long as the funnel window never binds (a step
    cannot be further from the previous one than from step 0) but sends every unit down the
    general path: the results must be the same."""
    plain = Walk(n=N, unordered=False, strict=False, optional=0, window=6_000_000,
                 step_window=np.full(N, -1), bounded=np.ones(N, np.bool_))
    general = Walk(n=N, unordered=False, strict=False, optional=0, window=6_000_000,
                   step_window=np.array([-1] + [6_000_000] * (N - 1)),
                   bounded=np.ones(N, np.bool_))
    assert plain_funnel(False, 0, plain.step_window, plain.bounded, -1)
    assert not plain_funnel(False, 0, general.step_window, general.bounded, -1)
    rng = np.random.default_rng(times)
    ids, ts, tiebreak, step_mask, excl_mask = events(rng, 30_000, 3_000, heavy=NODES // N + 1,
                                                     times=times, exclusions=exclusions)
    expected = reference(ids, ts, tiebreak, step_mask, excl_mask, general)
    assert (expected[1] >= 3).sum() > 100  # many persons get far
    lowest, slots = dense_range(pa.array(ids))
    for got in (reference(ids, ts, tiebreak, step_mask, excl_mask, plain),
                walk_by_person(as_table(ids, ts, tiebreak, step_mask, excl_mask, 3), lowest,
                               slots, plain)):
        for name, want, have in zip(["persons", "furthest", "excluded", "times", "path"],
                                    expected, got):
            np.testing.assert_array_equal(have, want, err_msg=name)
