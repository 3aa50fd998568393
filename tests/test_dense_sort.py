"""The counting sort for integer person ids (pipeline/funnels/dense_sort.py) gives exactly the
order of a plain sort by (person, ts, tiebreak), and declines ids it does not suit."""

import numpy as np
import pyarrow as pa
import pytest

from pipeline.funnels.dense_sort import INSERTION_LIMIT, dense_range, sort_by_person


def reference(ids, ts, tiebreak, step_mask, excl_mask):
    order = np.lexsort((tiebreak, ts, ids))
    persons, firsts = np.unique(ids[order], return_index=True)
    starts = np.append(firsts, len(ids))
    return starts, persons, ts[order], step_mask[order], excl_mask[order]


def events(rng, rows, persons, low=0, heavy=0):
    """Random events: few distinct times (many ties), tie-breaks in no particular order, a gap
    of ids nobody has, and `heavy` events for one person (past the insertion-sort limit)."""
    ids = rng.integers(low, low + persons, rows)
    ids = np.where(ids == low + persons // 2, low, ids)  # an id in the range nobody has
    ids = np.concatenate([ids, np.full(heavy, low + 1)])
    n = len(ids)
    ts = rng.integers(0, 20, n) * 1_000_000
    tiebreak = rng.permutation(n)
    return ids, ts, tiebreak, rng.integers(0, 1 << 5, n, dtype=np.int32), \
        rng.integers(0, 1 << 5, n, dtype=np.int32)


@pytest.mark.parametrize("rows, persons, low, heavy", [
    (1, 1, 0, 0),
    (50, 7, -3, 0),  # negative ids
    (5_000, 300, 1_000_000, 0),  # ids far from zero, a few buckets
    (20_000, 5_000, 17, 3 * INSERTION_LIMIT),  # many buckets and one heavy person
])
@pytest.mark.parametrize("tiebreak_order", ["shuffled", "ascending"])
def test_same_order_as_a_plain_sort(rows, persons, low, heavy, tiebreak_order):
    rng = np.random.default_rng(rows + persons)
    ids, ts, tiebreak, step_mask, excl_mask = events(rng, rows, persons, low, heavy)
    if tiebreak_order == "ascending":  # rows in tie-break order: the sort relies on stability
        tiebreak = np.arange(len(ids))
    expected = reference(ids, ts, tiebreak, step_mask, excl_mask)
    lowest, slots = dense_range(pa.array(ids))
    got = sort_by_person(ids, lowest, slots, ts, tiebreak, step_mask, excl_mask)
    for name, want, have in zip(["starts", "persons", "ts", "step_mask", "excl_mask"],
                                expected, got):
        np.testing.assert_array_equal(have, want, err_msg=name)


def test_without_exclusions_the_mask_is_zero():
    rng = np.random.default_rng(3)
    ids, ts, tiebreak, step_mask, _ = events(rng, 1_000, 100)
    lowest, slots = dense_range(pa.array(ids))
    *_, excl_mask = sort_by_person(ids, lowest, slots, ts, tiebreak, step_mask, None)
    assert excl_mask.dtype == np.int32 and len(excl_mask) == len(ids) and not excl_mask.any()


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
