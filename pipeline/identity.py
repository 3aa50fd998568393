"""Identity stitching: from the staged `events`, `identity_links` and `person_properties` to
customers.

Everything runs in DuckDB, set-based, from the SQL files under `sql/identity/` (one file per
output table, plus scratch steps). The only Python loop is over the rounds of the
connected-components label propagation, one SQL statement per round, until nothing changes.
The rules (blocked values, hub limits, priority) come from `IdentityRules`; docs/identity.md
describes them in plain words.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import duckdb

from pipeline import sql
from pipeline.identity_rules import IdentityRules

log = logging.getLogger(__name__)

INPUT_TABLES = ("events", "identity_links", "person_properties")

OUTPUT_TABLES = (
    "identifiers",
    "identity_edges",
    "identity_rejected_edges",
    "person_map",
    "event_customers",
    "customers",
    "identity_audit_sources",
    "identity_audit_component_sizes",
)

# Build order. Each name is a file under sql/identity/; the connected-components rounds run
# between "components_init" and "person_map".
_BEFORE_COMPONENTS = (
    "macros",
    "rules",
    "event_signatures",
    "link_observations",
    "candidate_edges",
    "identifier_candidates",
    "block_patterns",  # one statement per blocked pattern, see _block_patterns
    "identifiers",
    "edge_checks",
    "identity_edges",
    "identity_rejected_edges",
    "components_init",
)
_AFTER_COMPONENTS = (
    "person_map",
    "match_keys",
    "signature_customers",
    "event_customers",
    "customer_source_events",
    "customers",
    "identity_audit_sources",
    "identity_audit_component_sizes",
)

_TRUTH_READERS = {
    ".parquet": "read_parquet",
    ".json": "read_json_auto",
    ".jsonl": "read_json_auto",
    ".ndjson": "read_json_auto",
}


class IdentityInputMissing(LookupError):
    pass


class IdentityDidNotConverge(RuntimeError):
    pass


def create_input_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Create `identity_links` and `person_properties` if they do not exist (empty).

    `events` is created by sql/staging/create_events.sql.
    """
    sql.run(conn, "identity/create_inputs")


def _missing_inputs(conn: duckdb.DuckDBPyConnection) -> list[str]:
    present = {
        row[0]
        for row in conn.execute(
            "select table_name from duckdb_tables() where schema_name = current_schema() "
            "and database_name = current_database() and not temporary "
            "union select view_name from duckdb_views() where schema_name = current_schema() "
            "and database_name = current_database() and not temporary"
        ).fetchall()
    }
    return [name for name in INPUT_TABLES if name not in present]


def build_identity(
    conn: duckdb.DuckDBPyConnection, rules: IdentityRules | None = None
) -> dict[str, Any]:
    """(Re)build every identity table from scratch and return summary numbers.

    Reads `events`, `identity_links` and `person_properties`; replaces `identifiers`,
    `identity_edges`, `identity_rejected_edges`, `person_map`, `event_customers`, `customers`,
    `identity_audit_sources` and `identity_audit_component_sizes` in one transaction, so a
    failure leaves the previous build in place. Running it twice on the same inputs gives the
    same tables.
    """
    rules = rules or IdentityRules()
    missing = _missing_inputs(conn)
    if missing:
        raise IdentityInputMissing(
            f"identity inputs missing: {', '.join(missing)} "
            "(events: sql/staging/create_events.sql; the others: create_input_tables)"
        )
    params = rules.sql_params()
    started = time.monotonic()
    conn.execute("begin transaction")
    try:
        for name in _BEFORE_COMPONENTS:
            if name == "block_patterns":
                _block_patterns(conn, rules)
            else:
                _timed(conn, name, params)
        iterations = _connected_components(conn, rules.max_iterations)
        for name in _AFTER_COMPONENTS:
            _timed(conn, name, params)
        summary = _summary(conn)
        sql.run(conn, "identity/cleanup")
        conn.execute("commit")
    except BaseException:
        try:
            conn.execute("rollback")
            sql.run(conn, "identity/cleanup")
        except duckdb.Error:  # never hide the error that stopped the build
            log.exception("identity: cleanup after a failed build failed too")
        raise
    summary["iterations"] = iterations
    summary["seconds"] = round(time.monotonic() - started, 3)
    log.info("identity built: %s", summary)
    return summary


def _timed(conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> None:
    step_started = time.monotonic()
    sql.run(conn, f"identity/{name}", params)
    log.debug("identity/%s: %.2fs", name, time.monotonic() - step_started)


def _block_patterns(conn: duckdb.DuckDBPyConnection, rules: IdentityRules) -> None:
    """Apply the blocked patterns in rule order, one UPDATE per (pattern, type).

    The loop is over the rules, never over data: each statement is set-based, and binding the
    pattern as a parameter lets DuckDB compile the regular expression once.
    """
    for pattern_params in rules.pattern_params():
        sql.run(conn, "identity/block_pattern", pattern_params)


def _connected_components(conn: duckdb.DuckDBPyConnection, max_iterations: int) -> int:
    """Min-label propagation with hooking and pointer jumping until no label changes.

    Each round is the one UPDATE of sql/identity/components_iterate.sql; its row count is the
    number of nodes whose label dropped. Returns the number of rounds run, the last one being
    the round that changed nothing.
    """
    for iteration in range(1, max_iterations + 1):
        changed = sql.run(conn, "identity/components_iterate").fetchone()[0]
        log.debug("components round %d: %d labels changed", iteration, changed)
        if changed == 0:
            return iteration
    raise IdentityDidNotConverge(
        f"connected components still changing after {max_iterations} rounds "
        "(raise identity.max_iterations)"
    )


def _summary(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    result = sql.run(conn, "identity/summary")
    names = [d[0] for d in result.description]
    row = result.fetchone()
    return {name: int(value) for name, value in zip(names, row)}


def merge_precision_recall(
    conn: duckdb.DuckDBPyConnection,
    truth_identifiers: str | Path | Any,
    rules: IdentityRules | None = None,
) -> dict[str, Any]:
    """Pairwise precision and recall of `person_map` against a truth table.

    `truth_identifiers` has columns (identifier_type, identifier_value, person_id) and is one of:
    a path to a CSV (header row), Parquet or JSON-lines file; the name of a table or view in the
    database; or a DuckDB relation, pandas DataFrame or Arrow table.

    Over the truth's identifiers (normalised like the build), every unordered pair is *predicted*
    when both share a customer_id (an identifier absent from person_map, e.g. blocked, counts as a
    customer of its own) and *true* when both share a person_id. precision = true predicted pairs
    / predicted pairs, recall = true predicted pairs / true pairs (None when the denominator is 0).
    """
    rules = rules or IdentityRules()
    _load_truth(conn, truth_identifiers)
    try:
        sql.run(conn, "identity/macros")
        result = sql.run(
            conn,
            "identity/merge_precision_recall",
            {"case_insensitive_types": list(rules.case_insensitive_types)},
        )
        names = [d[0] for d in result.description]
        row = dict(zip(names, result.fetchone()))
    finally:
        conn.execute("drop table if exists temp.identity_truth_input")
    precision, recall = row["pair_precision"], row["pair_recall"]
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall > 0
        else None
    )
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_positive_pairs": int(row["true_positive_pairs"]),
        "predicted_pairs": int(row["predicted_pairs"]),
        "truth_pairs": int(row["truth_pairs"]),
        "n_identifiers": int(row["n_identifiers"]),
        "n_identifiers_unmapped": int(row["n_identifiers_unmapped"]),
    }


def _load_truth(conn: duckdb.DuckDBPyConnection, truth: Any) -> None:
    if isinstance(truth, Path) or (isinstance(truth, str) and Path(truth).suffix):
        path = Path(truth)
        if not path.is_file():
            raise FileNotFoundError(f"truth file not found: {path}")
        suffix = path.suffix.lower()
        if suffix in (".csv", ".tsv", ".txt"):
            sql.run(conn, "identity/truth_input_csv", {"truth_path": str(path)})
        elif suffix in _TRUTH_READERS:
            sql.run(
                conn,
                "identity/truth_input_file",
                {"truth_path": str(path)},
                reader=_TRUTH_READERS[suffix],
            )
        else:
            raise ValueError(f"unsupported truth file type {suffix!r} (csv, parquet, json)")
    elif isinstance(truth, str):
        # a table or view name; sql.run refuses anything but a plain identifier
        sql.run(conn, "identity/truth_input", truth_source=truth)
    else:
        view = "identity_truth_registered"
        source = truth.to_arrow_table() if isinstance(truth, duckdb.DuckDBPyRelation) else truth
        conn.register(view, source)
        try:
            sql.run(conn, "identity/truth_input", truth_source=view)
        finally:
            conn.unregister(view)
