"""Metrics layer: say versus do, per claim of the map files and in the built-in views
(docs/metrics.md, "Say versus do")."""

import dagster as dg

from pipeline.resources import JourneysDuckDB
from pipeline.say_vs_do import TABLES, build_say_vs_do


@dg.multi_asset(
    specs=[dg.AssetSpec(name, group_name="metrics", kinds={"duckdb", "sql"},
                        deps=["journey_events", "journey_rule_matches", "customer_journeys",
                              "customer_milestones", "journey_maps", "map_claims",
                              "map_milestones"])
           for name in TABLES],
    pool="duckdb",
    description="What customers said (survey answers) against what they did: per claim, "
                "persona, stage and weekly cohort with Wilson intervals and the customers in "
                "the gap; NPS vs behaviour, CSAT vs progression, stated vs engaged channel, "
                "calibration.",
)
def say_vs_do(duckdb: JourneysDuckDB):
    with duckdb.get_connection() as conn:
        counts = build_say_vs_do(conn)
        overall = conn.execute(
            "select claim_id, said, judged, did, round(rate, 4) from say_vs_do "
            "where grouping = 'all' order by map_id, claim_id").fetchall()
    for table in TABLES:
        metadata = {"dagster/row_count": counts[table]}
        if table == "say_vs_do":
            metadata["claims"] = dg.MetadataValue.md(
                "| claim | said | judged | did | rate |\n|---|---|---|---|---|\n"
                + "\n".join("| " + " | ".join(str(v) for v in row) + " |" for row in overall))
        yield dg.MaterializeResult(asset_key=table, metadata=metadata)
