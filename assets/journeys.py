"""Journeys layer: the journey maps as tables, every event assigned to a map's touchpoints,
milestones, one journey per customer per map, the touchpoint inventory and map coverage
(docs/metrics.md, "Journey maps and assignment")."""

import dagster as dg

from pipeline import journeys, settings
from pipeline.journey_map import load_maps
from pipeline.project import JourneysProject
from pipeline.resources import JourneysDuckDB

GROUP = "journeys"
MAP_SPECS = [dg.AssetSpec(name, group_name=GROUP, kinds={"duckdb", "sql"},
                          deps=["events", "customers"])
             for name in journeys.MAP_TABLES]


@dg.multi_asset(
    specs=MAP_SPECS,
    pool="duckdb",
    description="The map files (maps/*.yaml, or JOURNEYS_MAPS) as tables: maps with the as-of "
                "time, stages, touchpoints, milestones, follow-ups, targets, claims, compiled "
                "match rules, and each map's persona customers.",
)
def journey_map_tables(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB,
                       project: JourneysProject):
    folder = project.maps_path
    maps = load_maps(folder) if folder.is_dir() else []
    if not maps:
        context.log.warning(f"no journey maps in {folder}: the journeys tables are empty")
    with duckdb.get_connection() as conn:
        counts = journeys.build_map_tables(conn, maps, settings.as_of_override())
        as_of = conn.execute("select max(as_of) from journey_maps").fetchall()[0][0]
    for table in journeys.MAP_TABLES:
        metadata = {"dagster/row_count": counts[table]}
        if table == "journey_maps":
            metadata |= {"maps_folder": str(folder), "as_of": str(as_of),
                         "maps": ", ".join(m.map for m in maps)}
        yield dg.MaterializeResult(asset_key=table, metadata=metadata)


@dg.asset(
    group_name=GROUP,
    kinds={"duckdb", "sql"},
    pool="duckdb",
    deps=["map_rules", "map_rule_conditions", "map_customers", "event_customers"],
    description="Every (rule, event) pair where a map rule matches an event of the map's "
                "customers, with the touchpoint precedence (sql/journeys/).",
)
def journey_rule_matches(duckdb: JourneysDuckDB) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        rows = journeys.build_rule_matches(conn)
    return dg.MaterializeResult(metadata={"dagster/row_count": rows})


def _table_asset(name: str, deps: list[str], description: str) -> dg.AssetsDefinition:
    @dg.asset(name=name, group_name=GROUP, kinds={"duckdb", "sql"}, pool="duckdb", deps=deps,
              description=description)
    def _build(duckdb: JourneysDuckDB) -> dg.MaterializeResult:
        with duckdb.get_connection() as conn:
            rows = journeys.build_table(conn, name)
        return dg.MaterializeResult(metadata={"dagster/row_count": rows})

    return _build


journey_events = _table_asset(
    "journey_events", ["journey_rule_matches", "map_touchpoints"],
    "Every event of a map's customers with its touchpoint, stage, department and channel "
    "(null touchpoint when no rule matches).")
customer_milestones = _table_asset(
    "customer_milestones", ["journey_rule_matches", "map_milestones"],
    "When each customer reached each milestone (first or n-th occurrence).")
customer_journeys = _table_asset(
    "customer_journeys", ["customer_milestones", "journey_events"],
    "One journey per customer per map: milestones, furthest milestone in order within the "
    "window, stages entered, current stage, stage path and variant, endpoint, in progress.")
touchpoint_inventory = _table_asset(
    "touchpoint_inventory", ["journey_events"],
    "Every touchpoint observed, and every unmapped event type: volume, customers, first and "
    "last seen.")


@dg.multi_asset(
    specs=[dg.AssetSpec(name, group_name=GROUP, kinds={"duckdb", "sql"},
                        deps=["journey_events", "journey_rule_matches"])
           for name in journeys.COVERAGE_TABLES],
    pool="duckdb",
    description="Map lint: touchpoints no event reached, event types no touchpoint matches, "
                "events matched by several touchpoint rules.",
)
def map_coverage(duckdb: JourneysDuckDB):
    with duckdb.get_connection() as conn:
        for table in journeys.COVERAGE_TABLES:
            rows = journeys.build_table(conn, table)
            yield dg.MaterializeResult(asset_key=table, metadata={"dagster/row_count": rows})


@dg.asset_check(asset="journey_events", pool="duckdb",
                description="Every event of a map's customers up to as-of is in journey_events "
                            "exactly once per map: nothing dropped, nothing doubled by the rule "
                            "join.")
def journey_events_complete(duckdb: JourneysDuckDB) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        in_scope, rows, distinct = conn.execute("""
            select
                (select count(*) from int_journey_scope),
                count(*),
                count(distinct (map_id, event_key))
            from journey_events""").fetchall()[0]
    return dg.AssetCheckResult(
        passed=in_scope == rows == distinct,
        metadata={"events_in_scope": in_scope, "rows": rows, "distinct_events": distinct})
