"""Reports layer: one asset per HTML report, then the index page that links them all.

Each report reads the metric tables through a read-only view of the run's DuckDB file, builds a
`dashboards.page.Page`, and writes it into this week's dated folder and `latest/` under
`JOURNEYS_REPORTS` (default `reports/`). The asset's metadata carries the file paths.
"""

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


def _report_asset(module) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"report_{module.NAME}",
        group_name="reports",
        kinds={"plotly", "html"},
        pool="duckdb",
        deps=module.DEPS,
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


report_assets = [_report_asset(m) for m in REPORT_MODULES]


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
