"""Week over week: is a step's conversion this week really different from last week's, or from
its high-water mark? Two-proportion tests with Benjamini-Hochberg control, vectorised over all
(step, segment) pairs (docs/metrics.md#drop-off)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

ALPHA = 0.05
MIN_EXPECTED = 5  # below this expected cell count the normal approximation is off: use Fisher


def two_proportion_p(x1, n1, x2, n2) -> np.ndarray:
    """Two-sided p-values for x1/n1 vs x2/n2: the pooled two-proportion z test, or Fisher's exact
    test where an expected cell count is below MIN_EXPECTED. NaN where either n is 0 or missing."""
    # Imported here: scipy.stats takes about a second to load, and every `journeys` command and
    # Dagster process loads this module, most of them without running a test.
    from scipy import stats

    x1, n1, x2, n2 = (np.asarray(a, dtype=float) for a in (x1, n1, x2, n2))
    p = np.full(x1.shape, np.nan)
    ok = (n1 > 0) & (n2 > 0) & ~np.isnan(n1) & ~np.isnan(n2)
    pooled = np.where(ok, (x1 + x2) / np.where(ok, n1 + n2, 1), np.nan)
    se = np.sqrt(pooled * (1 - pooled) * (1 / np.where(ok, n1, 1) + 1 / np.where(ok, n2, 1)))
    same = ok & (se == 0)  # both 0 % or both 100 %: no evidence of a difference
    p[same] = 1.0
    z_ok = ok & (se > 0)
    z = (x1[z_ok] / n1[z_ok] - x2[z_ok] / n2[z_ok]) / se[z_ok]
    p[z_ok] = 2 * stats.norm.sf(np.abs(z))
    expected = np.minimum.reduce([pooled * n1, (1 - pooled) * n1, pooled * n2, (1 - pooled) * n2])
    small = np.flatnonzero(z_ok & (expected < MIN_EXPECTED))
    # One exact test per small (step, segment, week) cell: a few aggregated rows, not people.
    for i in small:
        table = [[x1[i], n1[i] - x1[i]], [x2[i], n2[i] - x2[i]]]
        p[i] = stats.fisher_exact(np.asarray(table, dtype=np.int64)).pvalue
    return p


def benjamini_hochberg(p: np.ndarray, family: np.ndarray) -> np.ndarray:
    """BH-adjusted q-values within each family (NaN p-values are not tests)."""
    p = np.asarray(p, dtype=float)
    q = np.full(p.shape, np.nan)
    valid = ~np.isnan(p)
    if not valid.any():
        return q
    fam = np.asarray(family)[valid]
    pv = p[valid]
    _, fam_id = np.unique(fam, return_inverse=True)
    order = np.lexsort((pv, fam_id))
    fam_sorted, p_sorted = fam_id[order], pv[order]
    starts = np.r_[0, np.flatnonzero(np.diff(fam_sorted)) + 1]
    sizes = np.diff(np.r_[starts, len(p_sorted)])
    m = np.repeat(sizes, sizes)
    rank = np.arange(len(p_sorted)) - np.repeat(starts, sizes) + 1
    raw = p_sorted * m / rank
    # Monotone from the largest p down, within each family.
    adj = np.empty_like(raw)
    for s, size in zip(starts, sizes):  # one pass per family (map x week), not per person
        adj[s:s + size] = np.minimum.accumulate(raw[s:s + size][::-1])[::-1]
    out = np.empty_like(adj)
    out[order] = np.minimum(adj, 1.0)
    q[valid] = out
    return q


def score(conn) -> pa.Table:
    """fct_funnel_week_over_week from int_funnel_weekly_conversion."""
    t = conn.sql("select * from int_funnel_weekly_conversion").to_arrow_table()
    cols = {name: t.column(name).to_numpy(zero_copy_only=False) for name in t.column_names}

    def num(name):
        return np.array([np.nan if v is None else v for v in cols[name]], dtype=float) \
            if cols[name].dtype == object else cols[name].astype(float)

    entered, converted = num("entered"), num("converted")
    p_prev = two_proportion_p(converted, entered, num("previous_converted"),
                              num("previous_entered"))
    p_mark = two_proportion_p(converted, entered, num("high_water_converted"),
                              num("high_water_entered"))
    # One family per map and week: every step and segment tested that week, both comparisons.
    family = np.char.add(cols["map_id"].astype(str), np.asarray(cols["entry_week"]).astype(str))
    q = benjamini_hochberg(np.r_[p_prev, p_mark], np.r_[family, family])
    q_prev, q_mark = q[:len(p_prev)], q[len(p_prev):]
    rate, prev_rate, mark_rate = num("rate"), num("previous_rate"), num("high_water_rate")
    extra = {
        "change_vs_previous": rate - prev_rate,
        "p_vs_previous": p_prev,
        "q_vs_previous": q_prev,
        "significant_vs_previous": np.nan_to_num(q_prev, nan=1.0) < ALPHA,
        "change_vs_high_water": rate - mark_rate,
        "p_vs_high_water": p_mark,
        "q_vs_high_water": q_mark,
        "significant_vs_high_water": np.nan_to_num(q_mark, nan=1.0) < ALPHA,
    }
    for name, values in extra.items():
        mask = np.isnan(values) if values.dtype == float else None
        t = t.append_column(name, pa.array(values, mask=mask))
    return t
