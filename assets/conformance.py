"""Metrics layer: conformance of journeys to each ideal map, expected follow-ups, steps against
targets and department handoffs (docs/metrics.md, "Conformance to the ideal map")."""

import dagster as dg

from pipeline.conformance.maps import TABLES, build_conformance
from pipeline.resources import JourneysDuckDB


@dg.multi_asset(
    specs=[dg.AssetSpec(name, group_name="metrics", kinds={"duckdb", "sql"},
                        deps=["journey_events", "customer_journeys", "journey_maps",
                              "map_stages", "map_touchpoints", "map_follow_ups", "map_targets",
                              "map_milestones", "int_milestone_step_conversion"])
           for name in TABLES],
    pool="duckdb",
    description="Alignment fitness of every journey against its ideal map's stage order (per "
                "variant), deviations in journey language, the discovered as-is map, "
                "follow-ups, steps against targets with a what-if, department handoffs.",
)
def conformance(duckdb: JourneysDuckDB):
    with duckdb.get_connection() as conn:
        counts = build_conformance(conn)
        summary = conn.execute(
            "select map_id, n_closed, n_in_progress, n_variants, round(log_fitness, 4), "
            "round(perfectly_fitting_share, 4) from conformance_summary order by map_id"
        ).fetchall()
    for table in TABLES:
        metadata = {"dagster/row_count": counts[table]}
        if table == "conformance_summary":
            metadata["conformance"] = dg.MetadataValue.md(
                "| map | closed | in progress | variants | log fitness | fitting |\n"
                "|---|---|---|---|---|---|\n"
                + "\n".join("| " + " | ".join(str(v) for v in row) + " |" for row in summary))
        yield dg.MaterializeResult(asset_key=table, metadata=metadata)
