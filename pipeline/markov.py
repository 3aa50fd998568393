"""First-order Markov-chain removal effects over each attribution group's transition counts.

The chain of a group is small (its touchpoints or channels, plus start, conversion and null), so
its absorption probabilities are solved with numpy: one dense linear system per removal. Journeys
never reach Python: only `int_attribution_transitions` (one row per group and edge) does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"


def conversion_probability(counts: np.ndarray, removed: int | None = None) -> float:
    """P(reach conversion from start) in the chain with transient-state count matrix `counts`.

    `counts` has one row per transient state (row 0 = start) and columns
    [transient states..., conversion, null]. Removing state `removed` sends every transition
    into it to null, which is the same as giving it no way to convert: its row becomes all-null.
    """
    n = counts.shape[0]
    totals = counts.sum(axis=1, keepdims=True)
    probs = np.divide(counts, totals, out=np.zeros_like(counts, dtype=float), where=totals > 0)
    q = probs[:, :n].copy()
    r = probs[:, n].copy()
    if removed is not None:
        q[removed, :] = 0.0
        r[removed] = 0.0
    # Every state on an observed path can reach an absorbing state, so I - Q is invertible.
    absorbed = np.linalg.solve(np.eye(n) - q, r)
    return float(absorbed[0])


def group_removal_effects(edges: pd.DataFrame) -> pd.DataFrame:
    """Removal effect and credit share of every state of one group's chain.

    `edges` has from_state, to_state, n_transitions. Labels are sorted, so the result (and the
    order numpy adds things up in) depends only on the counts.
    """
    labels = sorted(set(edges["from_state"]) - {START})
    index = {START: 0, **{label: i + 1 for i, label in enumerate(labels)}}
    n = len(index)
    column = {**index, CONVERSION: n, NULL: n + 1}
    counts = np.zeros((n, n + 2))
    np.add.at(counts, (edges["from_state"].map(index).to_numpy(),
                       edges["to_state"].map(column).to_numpy()),
              edges["n_transitions"].to_numpy(dtype=float))
    p_full = conversion_probability(counts)
    without = np.array([conversion_probability(counts, index[label]) for label in labels])
    if p_full > 0:
        effect = 1.0 - without / p_full
        total = effect.sum()
        share = effect / total if total > 0 else np.zeros_like(effect)
    else:
        effect = np.full(len(labels), np.nan)
        share = np.zeros(len(labels))
    return pd.DataFrame({
        "label": labels,
        "conversion_probability": p_full,
        "conversion_probability_without": without,
        "removal_effect": effect,
        "credit_share": share,
    })


def removal_effects(transitions: pd.DataFrame) -> pd.DataFrame:
    """`group_removal_effects` for every group of `int_attribution_transitions`."""
    columns = ["group_id", "label", "conversion_probability", "conversion_probability_without",
                            "removal_effect", "credit_share"]
    if transitions.empty:
        return pd.DataFrame(columns=columns)
    parts = []
    for group_id, edges in transitions.groupby("group_id", sort=True):
        parts.append(group_removal_effects(edges).assign(group_id=group_id))
    return pd.concat(parts, ignore_index=True)[columns]
