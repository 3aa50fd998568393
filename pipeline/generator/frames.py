"""Small vectorised helpers shared by the source modules."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts per owner: the owner of each expanded row and the row's index within it."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    within = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, within


def categorical(rng: np.random.Generator, cum_p: np.ndarray) -> np.ndarray:
    """One draw per row from per-row cumulative probabilities (n, k)."""
    draw = rng.random(cum_p.shape[0])
    return np.minimum((draw[:, None] > cum_p).sum(axis=1), cum_p.shape[1] - 1)


def concat_parts(parts: list[dict]) -> dict:
    """Concatenate dicts of equal-length columns (numpy arrays or Arrow arrays)."""
    out = {}
    for key in parts[0]:
        values = [p[key] for p in parts]
        if isinstance(values[0], (pa.Array, pa.ChunkedArray)):
            out[key] = pa.concat_arrays([v.combine_chunks() if isinstance(v, pa.ChunkedArray)
                                         else v for v in values])
        else:
            out[key] = np.concatenate(values)
    return out


def take_rows(cols: dict, idx: np.ndarray) -> dict:
    idx = np.asarray(idx, dtype=np.int64)
    return {k: (v.take(pa.array(idx)) if isinstance(v, pa.Array) else v[idx])
            for k, v in cols.items()}



def nullify(values: pa.Array, mask: np.ndarray) -> pa.Array:
    """values with nulls where mask is True."""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), pa.scalar(None, values.type), values)


def where(cond: np.ndarray, a, b) -> pa.Array:
    """Arrow if_else over arrays or scalars, with a numpy condition."""
    return pc.if_else(pa.array(np.asarray(cond, dtype=bool)), a, b)


def gather(values: pa.Array, idx: np.ndarray) -> pa.Array:
    """values[idx]; a negative index gives null."""
    idx = np.asarray(idx, dtype=np.int64)
    return values.take(pa.array(idx, mask=idx < 0) if (idx < 0).any() else pa.array(idx))
