"""`journeys funnel`: an ad-hoc funnel over a generic event export."""

from __future__ import annotations

import json
from pathlib import Path


import duckdb
import typer

from pipeline.config_errors import ConfigError
from pipeline.funnels.engine import run_funnel
from pipeline.funnels.event_files import EventFileError, load_events, load_persons
from pipeline.funnels.matching import EventsError, SpecFieldError
from pipeline.funnels.spec import load_spec


def funnel(
    events: Path = typer.Option(..., help="Events: CSV, JSON lines or Parquet with person_id, "
                                          "event, timestamp and any property columns."),
    spec: Path = typer.Option(..., help="Funnel spec (YAML or JSON)."),
    persons: Path = typer.Option(None, help="Persons: person_id and property columns "
                                            "(for person-property breakdowns)."),
    people: bool = typer.Option(False, "--people", help="List who reached and who dropped "
                                                        "at each step."),
    format: str = typer.Option("table", help="json or table."),
) -> None:
    """Compute a funnel with PostHog's semantics (docs/metrics.md#funnels)."""
    if format not in ("json", "table"):
        typer.secho(f"--format: '{format}' is not json or table", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    try:
        result = compute(events, spec, persons, people)
    except (ConfigError, EventFileError, SpecFieldError, EventsError) as exc:
        prefix = "" if isinstance(exc, (ConfigError, EventFileError, EventsError)) else f"{spec}: "
        typer.secho(prefix + str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    if format == "json":
        typer.echo(json.dumps(result, indent=2, default=str))
    else:
        typer.echo(render_table(result))


def compute(events: Path, spec_path: Path, persons: Path | None = None,
            people: bool = False) -> dict:
    spec = load_spec(spec_path)
    with duckdb.connect() as conn:
        conn.execute("set TimeZone = 'UTC'")
        load_events(conn, events)
        if persons is not None:
            load_persons(conn, persons)
        return run_funnel(conn, "events", spec, persons="persons" if persons else None,
                          people=people, tiebreak="fn_row")


def _fmt_rate(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _fmt_seconds(x) -> str:
    if x is None:
        return "–"
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if x >= size:
            return f"{x / size:.1f}{unit}"
    return f"{x:.0f}s"


def _table(steps: list[dict]) -> list[str]:
    head = f"{'step':<28} {'persons':>9} {'from start':>11} {'from prev':>10} " \
           f"{'avg time':>9} {'median':>9}"
    lines = [head, "-" * len(head)]
    for s in steps:
        lines.append(f"{(str(s['step']) + ' ' + s['name'])[:28]:<28} {s['count']:>9} "
                     f"{_fmt_rate(s['conversion_from_start']):>11} "
                     f"{_fmt_rate(s['conversion_from_previous']):>10} "
                     f"{_fmt_seconds(s['average_seconds']):>9} "
                     f"{_fmt_seconds(s['median_seconds']):>9}")
    return lines


def render_table(result: dict) -> str:
    lines = [f"Funnel ({result['order']}, window {_fmt_seconds(result['window_seconds'])})"]
    lines += _table(result["steps"])
    if result.get("excluded"):
        lines.append(f"excluded by exclusion steps: {result['excluded']} person(s)")
    for group in result.get("breakdowns", []):
        lines += ["", "breakdown " + " / ".join(repr(v) for v in group["value"])]
        lines += _table(group["steps"])
    return "\n".join(lines)


