"""`journeys conformance`: an event file against an ideal stage order, without the pipeline."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

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

    try:
        report = conformance_report(events, ideal)
    except (ConfigError, EventFileError) as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    if output_format is Format.json:
        typer.echo(json.dumps(report, indent=1, default=str))
    else:
        typer.echo(render_table(report))


def conformance_report(events: Path, ideal_path: Path) -> dict:
    """The command's JSON document (keys as in docs/metrics.md, "Conformance to the ideal map")."""
    from pipeline.conformance.ideal import load_ideal

    return measure_file(events, load_ideal(ideal_path))


def measure_file(events: Path, ideal) -> dict:
    """Conformance of the journeys in an event file to `ideal` (an `IdealMap`).

    Every journey in a file is treated as closed: a file has no window to say which are still
    in progress. Follow-ups are due by the file's latest event.
    """
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
        return _report(conn)
    finally:
        conn.close()


def _rows(conn, query: str) -> list[dict]:
    cursor = conn.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _report(conn) -> dict:
    summary = _rows(conn, "select * from conformance_summary")[0]
    return {
        "journeys": _rows(conn, """
            select person_id, fitness, cost, deviations
            from conformance_journeys order by person_id"""),
        "log_fitness": summary["log_fitness"],
        "average_fitness": summary["average_fitness"],
        "perfectly_fitting_share": summary["perfectly_fitting_share"],
        "variants": _rows(conn, """
            select path, n_journeys as count from conformance_variants order by variant_id"""),
        "dfg": _rows(conn, """
            select from_label as "from", to_label as "to", n_transitions as count,
                median_seconds
            from conformance_dfg order by n_transitions desc, from_label, to_label"""),
        "start": {r["label"]: r["n_journeys"] for r in _rows(conn, """
            select label, n_journeys from conformance_start_end where position = 'start'
            order by n_journeys desc, label""")},
        "end": {r["label"]: r["n_journeys"] for r in _rows(conn, """
            select label, n_journeys from conformance_start_end where position = 'end'
            order by n_journeys desc, label""")},
    }


def render_table(report: dict) -> str:
    def pct(x):
        return "–" if x is None else f"{100 * x:.1f}%"

    journeys = report["journeys"]
    lines = [(f"journeys: {len(journeys)}   log fitness: {pct(report['log_fitness'])}   "
              f"average fitness: {pct(report['average_fitness'])}   "
              f"perfectly fitting: {pct(report['perfectly_fitting_share'])}"), ""]
    counts: dict[tuple[str, str], int] = {}
    for j in journeys:
        for d in j["deviations"]:
            counts[(d["kind"], d["subject"])] = counts.get((d["kind"], d["subject"]), 0) + 1
    lines.append("deviations (journeys)")
    for (kind, subject), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {n:>8}  {kind.replace('_', ' ')}: {subject}")
    lines += ["", f"variants (top {TABLE_ROWS} of {len(report['variants'])})"]
    for v in report["variants"][:TABLE_ROWS]:
        lines.append(f"  {v['count']:>8}  {' → '.join(v['path'])}")
    lines += ["", "directly follows (transitions, median time)"]
    for e in report["dfg"][:TABLE_ROWS]:
        hours = "–" if e["median_seconds"] is None else f"{e['median_seconds'] / 3600:.1f}h"
        lines.append(f"  {e['count']:>8}  {e['from']} → {e['to']}  ({hours})")
    lines += ["", "start: " + ", ".join(f"{k} {v}" for k, v in report["start"].items()),
              "end:   " + ", ".join(f"{k} {v}" for k, v in report["end"].items())]
    return "\n".join(lines)
