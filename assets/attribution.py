"""Attribution layer: what each touchpoint contributes to the map's endpoint (docs/metrics.md,
"Attribution, branches and opportunity sizing")."""

import dagster as dg

from pipeline import settings
from pipeline.attribution import build_attribution_tables, load_settings
from pipeline.journey_map import load_maps
from pipeline.project import JourneysProject
from pipeline.resources import JourneysDuckDB

GROUP = "attribution"
ATTRIBUTION_TABLES = ["fct_attribution_credits", "fct_attribution_removal_effects"]


@dg.multi_asset(
    specs=[dg.AssetSpec(name, group_name=GROUP, kinds={"duckdb", "sql"},
                        deps=["customer_journeys", "journey_events", "customer_milestones",
                              "map_milestones"])
           for name in ATTRIBUTION_TABLES],
    pool="duckdb",
    description="Endpoint conversions credited to touchpoints and channels by first touch, last "
                "touch, linear, time decay, position-based and the Markov removal effect, per "
                "map, persona, month and week (sql/attribution/).",
)
def attribution(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB,
                project: JourneysProject):
    config = load_settings(settings.attribution_config_path())
    folder = project.maps_path
    maps = load_maps(folder) if folder.is_dir() else []
    with duckdb.get_connection() as conn:
        build_attribution_tables(conn, config, maps)
        counts = {t: conn.execute(f"select count(*) from {t}").fetchall()[0][0]
                  for t in ATTRIBUTION_TABLES}
        top = conn.execute(
            "select map_id, label, round(credit, 2), round(credit_share, 3) "
            "from fct_attribution_credits "
            "where model = 'markov' and level = 'touchpoint' and grain = 'all' "
            "qualify row_number() over (partition by map_id order by credit desc, label) <= 5 "
            "order by map_id, credit desc, label").fetchall()
    for table in ATTRIBUTION_TABLES:
        metadata = {"dagster/row_count": counts[table]}
        if table == "fct_attribution_credits":
            metadata["markov_top_touchpoints"] = dg.MetadataValue.md(
                "| map | touchpoint | conversions | share |\n|---|---|---|---|\n"
                + "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in top))
        yield dg.MaterializeResult(asset_key=table, metadata=metadata)
