"""Attribution layer: what each touchpoint contributes to the map's endpoint, what customers do
on each branch of an email or a ticket, and where more conversions are to be had
(docs/metrics.md, "Attribution, branches and opportunity sizing")."""

import dagster as dg

from pipeline import settings
from pipeline.attribution import (
    AttributionSettings,
    build_attribution_tables,
    build_branch_tables,
    build_opportunity_tables,
    load_settings,
)
from pipeline.journey_map import load_maps
from pipeline.project import JourneysProject
from pipeline.resources import JourneysDuckDB

GROUP = "attribution"
ATTRIBUTION_TABLES = ["fct_attribution_credits", "fct_attribution_removal_effects"]
BRANCH_TABLES = ["fct_branches", "fct_branch_next_touchpoints", "fct_branch_follow_ups"]
OPPORTUNITY_TABLES = ["fct_opportunity_steps", "fct_opportunity_touchpoints"]


def _specs(tables: list[str], deps: list[str]) -> list[dg.AssetSpec]:
    return [dg.AssetSpec(name, group_name=GROUP, kinds={"duckdb", "sql"}, deps=deps)
            for name in tables]


def _results(conn, tables: list[str], extra: dict[str, dict] | None = None):
    for table in tables:
        rows = conn.execute(f"select count(*) from {table}").fetchall()[0][0]
        metadata = {"dagster/row_count": rows, **(extra or {}).get(table, {})}
        yield dg.MaterializeResult(asset_key=table, metadata=metadata)


def _table(header: list[str], rows: list[tuple]) -> dg.MetadataValue:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines))


def _maps_and_settings(context: dg.AssetExecutionContext,
                       project: JourneysProject) -> tuple[list, AttributionSettings]:
    folder = project.maps_path
    maps = load_maps(folder) if folder.is_dir() else []
    config = load_settings(settings.attribution_config_path())
    for note in config.unknown_maps(maps):
        context.log.warning(note)
    return maps, config


@dg.multi_asset(
    specs=_specs(ATTRIBUTION_TABLES, ["customer_journeys", "journey_events",
                                      "customer_milestones", "map_milestones"]),
    pool="duckdb",
    description="Endpoint conversions credited to touchpoints and channels by first touch, last "
                "touch, linear, time decay, position-based and the Markov removal effect, per "
                "map, persona, month and week (sql/attribution/, attribution.yaml).",
)
def attribution(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB,
                project: JourneysProject):
    maps, config = _maps_and_settings(context, project)
    with duckdb.get_connection() as conn:
        build_attribution_tables(conn, config, maps)
        top = conn.execute(
            "select map_id, label, round(credit, 2), round(credit_share, 3) "
            "from fct_attribution_credits "
            "where model = 'markov' and level = 'touchpoint' and grain = 'all' "
            "qualify row_number() over (partition by map_id order by credit desc, label) <= 5 "
            "order by map_id, credit desc, label").fetchall()
        yield from _results(conn, ATTRIBUTION_TABLES, {"fct_attribution_credits": {
            "markov_top_touchpoints": _table(["map", "touchpoint", "conversions", "share"],
                                             top)}})


@dg.multi_asset(
    specs=_specs(BRANCH_TABLES, ["journey_events", "customer_journeys", "map_follow_ups",
                                 "journey_maps"]),
    pool="duckdb",
    description="Branches of every email delivery (clicked / opened / not opened) and solved "
                "ticket (rated good / bad / not rated): what came next, conversion per branch, "
                "and whether the map's expected follow-ups came, and how fast.",
)
def branches(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB,
             project: JourneysProject):
    _, config = _maps_and_settings(context, project)
    with duckdb.get_connection() as conn:
        build_branch_tables(conn, config)
        follow_ups = conn.execute(
            "select map_id, follow_up_id, outcome, n_anchors, n_followed_up, "
            "round(follow_up_rate, 3), round(median_hours_to_follow_up, 1) "
            "from fct_branch_follow_ups where is_needed order by all").fetchall()
        yield from _results(conn, BRANCH_TABLES, {"fct_branch_follow_ups": {
            "needed_follow_ups": _table(["map", "follow-up", "branch", "due", "done", "rate",
                                         "median h"], follow_ups)}})


@dg.multi_asset(
    specs=_specs(OPPORTUNITY_TABLES, ["int_milestone_step_conversion", "map_milestones",
                                      "map_targets", "journey_maps",
                                      "fct_attribution_removal_effects"]),
    pool="duckdb",
    description="More endpoint conversions if a milestone step converted at its target or the "
                "best persona's / week's rate, or a touchpoint moved customers on like the best "
                "persona / week, from observed transition rates; ranked.",
)
def opportunity(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB,
                project: JourneysProject):
    _, config = _maps_and_settings(context, project)
    with duckdb.get_connection() as conn:
        build_opportunity_tables(conn, config)
        top = conn.execute(
            "select map_id, milestone_id, benchmark, round(extra_conversions, 1) "
            "from fct_opportunity_steps where rank <= 3 order by map_id, rank").fetchall()
        yield from _results(conn, OPPORTUNITY_TABLES, {"fct_opportunity_steps": {
            "top_steps": _table(["map", "step into", "benchmark", "extra conversions"], top)}})
