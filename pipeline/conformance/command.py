"""`journeys conformance`: an event file against an ideal stage order, without the pipeline."""

from __future__ import annotations

import json
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

import typer

from pipeline import sql

TABLE_ROWS = 20


class Format(str, Enum):
    json = "json"
    table = "table"


def conformance(
    events: Path = typer.Option(..., help="A generic event file: person_id, event, timestamp "
                                           "(.csv, .jsonl or .parquet)."),
    ideal: Path = typer.Option(..., help="The ideal map: a journey-map file, or a minimal "
                                         "`stages: [{name, optional, repeatable}]` file."),
    output_format: Format = typer.Option(Format.table, "--format", help="json or table."),
) -> None:
    """Measure how far each journey strays from the ideal stage order (alignment fitness)."""
    from pipeline.config_errors import ConfigError
    from pipeline.conformance.event_file import EventFileError
    from pipeline.conformance.ideal import load_ideal

    try:
        with measured(events, load_ideal(ideal)) as conn:
            if output_format is Format.json:
                typer.echo(report_json(conn))
            else:
                typer.echo(render_table(conn))
    except (ConfigError, EventFileError) as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2)


@contextmanager
def measured(events: Path, ideal):
    """An in-memory DuckDB with the conformance of the file's journeys to `ideal` (an
    `IdealMap`). Every journey in a file is treated as closed: a file has no window to say which
    are still in progress. Follow-ups are due by the file's latest event."""
    import duckdb

    from pipeline.conformance import engine
    from pipeline.conformance.event_file import load_events

    conn = duckdb.connect()
    try:
        conn.execute("set TimeZone = 'UTC'")
        engine.create_inputs(conn)
        load_events(conn, events, ideal)
        as_of = conn.execute("select max(occurred_at) from conformance_events").fetchall()[0][0]
        engine.measure(conn, ideal, as_of)
        yield conn
    finally:
        conn.close()


def report_json(conn) -> str:
    """The JSON document (keys in docs/metrics.md, "Conformance to the ideal map")."""
    return sql.run(conn, "conformance/conformance_report").fetchall()[0][0]


def measure_file(events: Path, ideal) -> dict:
    """The JSON document as a dict (for tests and callers in Python)."""
    with measured(events, ideal) as conn:
        return json.loads(report_json(conn))


def render_table(conn) -> str:
    def pct(x):
        return "–" if x is None else f"{100 * x:.1f}%"

    n, log_fitness, average, fitting, n_variants = conn.execute(
        "select n_journeys, log_fitness, average_fitness, perfectly_fitting_share, n_variants "
        "from fct_conformance_summary").fetchall()[0]
    lines = [(f"journeys: {n}   log fitness: {pct(log_fitness)}   "
              f"average fitness: {pct(average)}   perfectly fitting: {pct(fitting)}"), "",
             "deviations (journeys)"]
    for kind, subject, count in conn.execute("""
            select d.kind, d.subject, count(distinct person_id) as n
            from fct_conformance_journeys, unnest(deviations) as t(d)
            group by all order by n desc, d.kind, d.subject""").fetchall():
        lines.append(f"  {count:>8}  {kind.replace('_', ' ')}: {subject}")
    lines += ["", f"variants (top {TABLE_ROWS} of {n_variants})"]
    for path, count in conn.execute(
            "select path, n_journeys from int_conformance_variants order by variant_id limit ?",
            [TABLE_ROWS]).fetchall():
        lines.append(f"  {count:>8}  {' → '.join(path)}")
    lines += ["", "directly follows (transitions, median time)"]
    for a, b, count, seconds in conn.execute("""
            select from_label, to_label, n_transitions, median_seconds from fct_conformance_dfg
            order by n_transitions desc, from_label, to_label limit ?""", [TABLE_ROWS]).fetchall():
        hours = "–" if seconds is None else f"{seconds / 3600:.1f}h"
        lines.append(f"  {count:>8}  {a} → {b}  ({hours})")
    for position in ("start", "end"):
        labels = conn.execute("""
            select label, n_journeys from fct_conformance_start_end where "position" = ?
            order by n_journeys desc, label""", [position]).fetchall()
        lines.append(f"{position + ':':<7}" + ", ".join(f"{k} {v}" for k, v in labels))
    return "\n".join(lines)
