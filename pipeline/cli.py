"""`journeys`: the command line for people who never open the Dagster UI.

`journeys run` materialises the same assets the UI shows, in-process, recorded in the project's
Dagster instance (.dagster/), so its runs appear in the UI afterwards.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import typer

from pipeline import settings
from pipeline.conformance import command as conformance_command
from pipeline.funnels.command import funnel

app = typer.Typer(help="Measure real customer journeys against your journey map.",
                  no_args_is_help=True, add_completion=False)
app.command()(funnel)


def _step(message: str) -> float:
    typer.secho(f"→ {message}", fg=typer.colors.CYAN, err=True)
    return time.monotonic()


def _done(started: float, detail: str = "") -> None:
    typer.echo(f"  done in {time.monotonic() - started:.1f}s{(': ' + detail) if detail else ''}",
               err=True)


@app.command()
def generate(
    customers: int = typer.Option(5000, help="How many people the sample company has."),
    seed: int = typer.Option(42, help="Same seed, same files, byte for byte."),
    out: Path = typer.Option(Path("data/exports"), help="Folder to write the exports into."),
) -> None:
    """Write the sample company's vendor exports and the planted truth beside them."""
    from pipeline.generator import generate as generate_company

    started = _step(f"Generating {customers} customers (seed {seed}) into {out}")
    last = {"t": 0.0}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last["t"] > 1 or done == total:
            last["t"] = now
            typer.echo(f"  {stage}: {done}/{total}", err=True)

    truth = generate_company(out, customers=customers, seed=seed, progress=progress)
    _done(started)
    typer.echo(f"Exports: {out.resolve()}")
    typer.echo(f"Truth:   {(out / 'truth').resolve()}")
    return truth


def _instance():
    """The project's persistent Dagster instance, so CLI runs show up in `dagster dev`."""
    import dagster as dg

    home = Path(os.environ.setdefault("DAGSTER_HOME", str(settings.REPO_ROOT / ".dagster")))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(settings.REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    return dg.DagsterInstance.get()


def run_pipeline(exports: Path, config: Path, database: Path, instance=None, echo=True) -> dict:
    """Load, stage, build every week that has events, and stitch identities."""
    import dagster as dg

    from pipeline import staging
    from pipeline.definitions import defs
    from pipeline.jobs import week_range_tags
    from pipeline.partitions import events_weekly_partition, week_keys
    from pipeline.project import JourneysProject
    from pipeline.resources import JourneysDuckDB, connect
    from pipeline.sources import load_sources_config

    sources_config = load_sources_config(config)
    resources = {
        "duckdb": JourneysDuckDB(database=str(database)),
        "project": JourneysProject(exports_dir=str(exports), sources_config=str(config)),
    }
    all_assets = list(defs.assets or [])
    checks = list(defs.asset_checks or [])
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    say = _step if echo else (lambda m: time.monotonic())
    done = _done if echo else (lambda s, d="": None)

    started = say(f"Loading exports from {exports}")
    result = dg.materialize(
        all_assets + checks, instance=instance, resources=resources, run_config=quiet,
        selection=dg.AssetSelection.groups("raw")
        | dg.AssetSelection.assets("staged_views", "identity_inputs"),
        raise_on_error=True,
    )
    loaded = {e.asset_key.to_user_string(): e.materialization.metadata
              for e in result.get_asset_materialization_events()}
    rows_loaded = sum(m["rows_loaded"].value for k, m in loaded.items() if k.startswith("raw_"))
    rejected = sum(m["rows_rejected"].value for k, m in loaded.items() if k.startswith("raw_"))
    done(started, f"{rows_loaded} new rows, {rejected} rejected")

    with connect(database, read_only=True) as conn:
        span = staging.week_span(conn, staging.event_views(sources_config))
    summary = {"database": str(database), "rows_loaded": rows_loaded, "rows_rejected": rejected}
    if span is None:
        say("No events to build")
        return summary
    available = set(events_weekly_partition.get_partition_keys())
    span_weeks = week_keys(*span)
    weeks = [k for k in span_weeks if k in available]
    outside = [k for k in span_weeks if k not in available]
    if outside:
        typer.secho(f"  warning: events in {len(outside)} week(s) outside the partitions "
                    f"({outside[0]} … {outside[-1]}); set JOURNEYS_FIRST_WEEK or wait for the "
                    f"week to end", fg=typer.colors.YELLOW, err=True)
    if weeks:
        started = say(f"Building events for {len(weeks)} weeks ({weeks[0]} … {weeks[-1]}) "
                      f"then customers, journeys, metrics and reports")
        dg.materialize(
            all_assets + checks, instance=instance, resources=resources, run_config=quiet,
            selection=dg.AssetSelection.assets("events").downstream(),
            tags=week_range_tags(weeks[0], weeks[-1]), raise_on_error=True,
        )
        done(started)
    with connect(database, read_only=True) as conn:
        summary |= dict(zip(
            ("events", "customers", "rejects"),
            conn.execute("select (select count(*) from events), (select count(*) from customers),"
                         " (select count(*) from load_rejects)").fetchall()[0]))
    summary["weeks"] = len(weeks)
    return summary


@app.command()
def run(
    exports: Path = typer.Option(None, help="Exports folder (default: data/exports)."),
    config: Path = typer.Option(None, help="Sources config (default: sources.yaml)."),
    database: Path = typer.Option(None, help="DuckDB file (default: data/warehouse/journeys.duckdb)."),
) -> None:
    """Materialise everything for an exports folder and a sources config."""
    from pipeline.config_errors import ConfigError
    from pipeline.loading import ExportFileError

    exports = (exports or settings.exports_dir()).resolve()
    config = (config or settings.sources_config_path()).resolve()
    database = (database or settings.database_path()).resolve()
    if not exports.is_dir():
        typer.secho(f"No exports folder at {exports}. Run `journeys generate` first, or pass "
                    f"--exports.", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    try:
        summary = run_pipeline(exports, config, database, instance=_instance())
    except (ConfigError, ExportFileError) as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    except Exception as exc:  # Dagster wraps step errors; show the user's error, not a trace.
        cause = _root_cause(exc)
        if isinstance(cause, (ConfigError, ExportFileError)):
            typer.secho(str(cause), fg=typer.colors.RED, err=True)
            raise typer.Exit(2)
        raise
    typer.echo("")
    typer.secho("Journeys is ready.", fg=typer.colors.GREEN, bold=True)
    typer.echo(f"  Database:  {summary['database']}")
    for key in ("events", "customers", "weeks", "rejects"):
        if key in summary:
            typer.echo(f"  {key.capitalize() + ':':<10} {summary[key]}")
    typer.echo("  Explore:   make dev  (Dagster UI at http://localhost:3000)")
    typer.echo(f"  Reports:   {settings.reports_dir() / 'index.html'}")


app.command()(conformance_command.conformance)

def _root_cause(exc: BaseException) -> BaseException:
    seen = exc
    while True:
        nxt = getattr(seen, "user_exception", None) or seen.__cause__
        if nxt is None or nxt is seen:
            return seen
        seen = nxt


from pipeline.maps_cli import validate_maps  # noqa: E402

app.command("validate")(validate_maps)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
