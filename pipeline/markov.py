"""First-order Markov-chain removal effects over each attribution group's transition counts.

The chain of a group is small (its touchpoints or channels, plus start, conversion and null), so
its absorption probabilities are solved with numpy: one dense linear system per removal. Journeys
never reach Python: only `int_attribution_transitions` (one row per group and edge) does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"
NO_PERSONA = "(no persona)"


def transition_probabilities(counts: np.ndarray) -> np.ndarray:
    """Row-normalised counts; a row without transitions stays all zero."""
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts, dtype=float), where=totals > 0)


def absorption(probs: np.ndarray, removed: int | None = None) -> np.ndarray:
    """P(reach conversion) from every transient state of the chain `probs`.

    `probs` has one row per transient state (row 0 = start) and columns
    [transient states..., conversion, null]. Removing state `removed` sends every transition
    into it to null, which is the same as giving it no way to convert: its row becomes all-null.
    """
    n = probs.shape[0]
    q = probs[:, :n].copy()
    r = probs[:, n].copy()
    if removed is not None:
        q[removed, :] = 0.0
        r[removed] = 0.0
    # Every state on an observed path can reach an absorbing state, so I - Q is invertible.
    return np.linalg.solve(np.eye(n) - q, r)


def conversion_probability(counts: np.ndarray, removed: int | None = None) -> float:
    """P(reach conversion from start) in the chain with transient-state count matrix `counts`."""
    return float(absorption(transition_probabilities(counts), removed)[0])


def count_matrix(edges: pd.DataFrame, labels: list[str]) -> np.ndarray:
    """Transition counts of `edges` (from_state, to_state, n_transitions) with rows
    [start, *labels] and columns [start, *labels, conversion, null]."""
    index = {START: 0, **{label: i + 1 for i, label in enumerate(labels)}}
    n = len(index)
    column = {**index, CONVERSION: n, NULL: n + 1}
    counts = np.zeros((n, n + 2))
    np.add.at(counts, (edges["from_state"].map(index).to_numpy(),
                       edges["to_state"].map(column).to_numpy()),
              edges["n_transitions"].to_numpy(dtype=float))
    return counts


def group_removal_effects(edges: pd.DataFrame) -> pd.DataFrame:
    """Removal effect and credit share of every state of one group's chain.

    `edges` has from_state, to_state, n_transitions. Labels are sorted, so the result (and the
    order numpy adds things up in) depends only on the counts.
    """
    labels = sorted(set(edges["from_state"]) - {START})
    counts = count_matrix(edges, labels)
    p_full = conversion_probability(counts)
    without = np.array([conversion_probability(counts, i + 1) for i in range(len(labels))])
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


def touchpoint_opportunities(transitions: pd.DataFrame, groups: pd.DataFrame,
                             min_transitions: int) -> pd.DataFrame:
    """For every touchpoint of each map's chain: the extra conversions if customers left it the
    way they do in the best persona's / best week's chain.

    The touchpoint's row of transition probabilities is replaced by the benchmark group's row
    for it (groups with at least `min_transitions` transitions out of it), every other row is
    kept, and the chain is solved again: extra = (P' - P) * journeys with a touch. The best
    group is the one with the highest P' (ties: the name that sorts last). Weeks are compared
    with the whole chain (grain all); personas with the chain of journeys whose persona is known, since
    a persona that only becomes known along the way (a sign-up form) would otherwise look like
    a better way through every touchpoint before it.
    """
    columns = ["map_id", "label", "population", "n_visits", "conversion_from_touchpoint",
               "benchmark", "benchmark_group", "benchmark_conversion_from_touchpoint",
               "conversion_probability", "benchmark_conversion_probability",
               "extra_conversions"]
    rows = []
    edges_by_group = dict(tuple(transitions.groupby("group_id", sort=True)))
    for map_id, map_groups in groups.groupby("map_id", sort=True):
        whole = map_groups[map_groups["grain"] == "all"]
        if whole.empty or whole["group_id"].iloc[0] not in edges_by_group:
            continue
        labels = sorted(set(edges_by_group[whole["group_id"].iloc[0]]["from_state"]) - {START})
        for benchmark, grain, population in (("best_persona", "persona", "known_persona"),
                                              ("best_week", "week", "all")):
            candidates = map_groups[map_groups["grain"] == grain].sort_values("group_id")
            if grain == "persona":
                candidates = candidates[candidates["persona"] != NO_PERSONA]
                pooled = [edges_by_group[g] for g in candidates["group_id"] if g in edges_by_group]
                if not pooled:
                    continue
                edges = (pd.concat(pooled).groupby(["from_state", "to_state"], as_index=False)
                         ["n_transitions"].sum())
            else:
                edges = edges_by_group[whole["group_id"].iloc[0]]
            rows += _best_benchmark_rows(map_id, labels, edges, candidates, grain, benchmark,
                                         population, edges_by_group, min_transitions)
    return pd.DataFrame(rows, columns=columns)


def _best_benchmark_rows(map_id, labels, edges, candidates, grain, benchmark, population,
                         edges_by_group, min_transitions) -> list[list]:
    counts = count_matrix(edges, labels)
    probs = transition_probabilities(counts)
    x = absorption(probs)
    best: dict[int, tuple] = {}
    for cand in candidates.itertuples(index=False):
        cand_edges = edges_by_group.get(cand.group_id)
        if cand_edges is None:
            continue
        name = str(cand.persona if grain == "persona" else cand.week)
        cand_counts = count_matrix(cand_edges, labels)
        for i in range(1, len(labels) + 1):
            if cand_counts[i].sum() < min_transitions:
                continue
            changed = probs.copy()
            changed[i] = transition_probabilities(cand_counts[i:i + 1])[0]
            y = absorption(changed)
            if i not in best or (y[0], name) > best[i][:2]:
                best[i] = (y[0], name, y[i])
    return [[map_id, labels[i - 1], population, counts[i].sum(), x[i], benchmark, name, x_new,
             x[0], p_new, max(p_new - x[0], 0.0) * counts[0].sum()]
            for i, (p_new, name, x_new) in sorted(best.items())]
