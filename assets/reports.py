"""Reports layer: one asset per HTML report, then the index page that links them all.

Each report reads the metric tables through a read-only view of the run's DuckDB file, builds a
`dashboards.page.Page`, and writes it into this week's dated folder and `latest/` under
`JOURNEYS_REPORTS` (default `reports/`). The asset's metadata carries the file paths.
"""

import pkgutil
from importlib import import_module

import dagster as dg

from dashboards import attribution, coverage, dropoff, ideal, journey_map, say_do
from dashboards.context import make_context
from dashboards.site import ReportSite
from pipeline import settings
from pipeline.resources import JourneysDuckDB

REPORT_MODULES = [coverage, journey_map, dropoff, ideal, say_do, attribution]


def build_report(duckdb: JourneysDuckDB, module, site: ReportSite):
    """Build one report module's page against the database and write it into the site."""
    with duckdb.get_connection() as conn:
        ctx = make_context(conn)
        page = module.build(ctx)
        html = page.render()
    return site.write(module.NAME, module.TITLE, module.SUMMARY, ctx.week, html), page


def _upstream_asset_keys() -> set[str]:
    """Asset keys of every other module of the `assets` package: a report depends on those of
    its input tables that are assets here, so it runs after them and shows in their lineage."""
    import assets

    keys = set()
    for info in pkgutil.iter_modules(assets.__path__):
        if info.name == __name__.rsplit(".", 1)[-1]:
            continue
        for definition in dg.load_assets_from_modules([import_module(f"assets.{info.name}")]):
            keys |= {k.to_user_string() for k in getattr(definition, "keys", [])}
    return keys


def _deps(module, upstream: set[str]) -> list[str]:
    wanted = [*module.DEPS, *getattr(module, "TABLES", []), *getattr(module, "MAP_TABLES", [])]
    return sorted({t for t in wanted if t in upstream})


def _report_asset(module, upstream: set[str]) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"report_{module.NAME}",
        group_name="reports",
        kinds={"plotly", "html"},
        pool="duckdb",
        deps=_deps(module, upstream),
        description=f"{module.TITLE}: {module.SUMMARY}",
    )
    def _asset(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB) -> dg.MaterializeResult:
        written, page = build_report(duckdb, module, ReportSite(settings.reports_dir()))
        context.log.info(f"wrote {written.latest_path}")
        return dg.MaterializeResult(metadata={
            "path": dg.MetadataValue.path(str(written.latest_path)),
            "dated_path": dg.MetadataValue.path(str(written.dated_path)),
            "url": dg.MetadataValue.url(written.latest_path.resolve().as_uri()),
            "week": written.week,
            "charts": len(page.charts),
            "headline": dg.MetadataValue.md("\n".join(f"- {s}" for s in page.headline)
                                            or "(no headline)"),
        })

    return _asset


_UPSTREAM = _upstream_asset_keys()
report_assets = [_report_asset(m, _UPSTREAM) for m in REPORT_MODULES]


@dg.asset(
    group_name="reports",
    kinds={"html"},
    deps=report_assets,
    description="The reports folder's front page: latest reports, then every week's, newest "
                "first; plotly.js written once beside them.",
)
def reports_index() -> dg.MaterializeResult:
    site = ReportSite(settings.reports_dir())
    path = site.write_index()
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)),
        "url": dg.MetadataValue.url(path.resolve().as_uri()),
        "weeks": len(site.weeks()),
    })
