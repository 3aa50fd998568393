"""Build the journeys layer: map tables, event-to-touchpoint assignment, milestones, journeys.

Maps are compiled to rows (rules, conditions, stages, ...) that travel into DuckDB as bound
parameters, typed by a cast in each SQL file. Matching is then one set-based join of events to
rules (sql/journeys/journey_rule_matches.sql): no map value is ever spliced into SQL text, so a
value like `'; DROP TABLE events; --` is just text to compare with.
"""

from __future__ import annotations

from typing import Any

import duckdb

from pipeline import sql
from pipeline.journey_map import Condition, JourneyMap, MatchRule

MAP_TABLES = ["journey_maps", "map_stages", "map_touchpoints", "map_milestones",
              "map_follow_ups", "map_targets", "map_claims", "map_rules",
              "map_rule_conditions", "map_customers"]
COVERAGE_TABLES = ["map_coverage_unmeasured", "map_coverage_unmapped", "map_coverage_overlaps"]


def touchpoint_rule_id(touchpoint_id: str) -> str:
    return f"touchpoint:{touchpoint_id}"


def milestone_rule_id(journey_map: JourneyMap, milestone_index: int) -> str:
    m = journey_map.milestones[milestone_index - 1]
    return touchpoint_rule_id(m.touchpoint) if m.touchpoint else f"milestone:{m.id}"


def compile_maps(maps: list[JourneyMap]) -> dict[str, list[dict[str, Any]]]:
    """Every map as rows, one list per map table (the parameters of sql/journeys/map_*.sql)."""
    rows: dict[str, list[dict]] = {name: [] for name in MAP_TABLES if name != "map_customers"}
    rows["persona_conditions"] = []
    for m in maps:
        stage_index = {s.name: i for i, s in enumerate(m.stages, start=1)}
        required = {tp for s in m.stages for tp in s.required}
        rows["journey_maps"].append({
            "map_id": m.map, "kind": m.kind, "title": m.title, "persona_name": m.persona.name,
            "ideal_of": m.ideal_of, "window_seconds": m.window,
            "max_milestones": m.max_milestones, "endpoint_milestone": m.endpoint.id,
            "file": str(m.file) if m.file else None})
        rows["map_stages"] += [{
            "map_id": m.map, "stage": s.name, "stage_index": i, "optional": s.optional,
            "repeatable": s.repeatable, "required_touchpoints": s.required}
            for i, s in enumerate(m.stages, start=1)]
        rows["map_touchpoints"] += [{
            "map_id": m.map, "touchpoint_id": t.id, "touchpoint_index": i, "label": t.label,
            "stage": t.stage, "stage_index": stage_index[t.stage], "department": t.department,
            "channel": t.channel, "priority": t.priority, "required": t.id in required}
            for i, t in enumerate(m.touchpoints, start=1)]
        rows["map_milestones"] += [{
            "map_id": m.map, "milestone_index": i, "milestone_id": ms.id,
            "label": ms.label or ms.id, "touchpoint_id": ms.touchpoint,
            "rule_id": milestone_rule_id(m, i), "stage": m.milestone_stage(ms),
            "stage_index": stage_index.get(m.milestone_stage(ms)),
            "occurrence": ms.occurrence, "is_endpoint": ms is m.endpoint,
            "window_seconds": ms.window, "within_map_window": m.within_map_window(ms)}
            for i, ms in enumerate(m.milestones, start=1)]
        rows["map_follow_ups"] += [{
            "map_id": m.map, "follow_up_id": f.id, "label": f.label,
            "after_touchpoint": f.after, "unless_touchpoint": f.unless,
            "expect_touchpoint": f.expect, "within_seconds": f.within} for f in m.follow_ups]
        milestone_index = {ms.id: i for i, ms in enumerate(m.milestones, start=1)}
        rows["map_targets"] += [{
            "map_id": m.map, "milestone_id": t.milestone,
            "milestone_index": milestone_index[t.milestone], "conversion_rate": t.conversion_rate,
            "median_time_seconds": t.median_time} for t in m.targets]
        rules = _Rules(m)
        for t in m.touchpoints:
            rules.add("touchpoint", touchpoint_rule_id(t.id), t.match, t.priority)
        for ms in m.milestones:
            if ms.event is not None:
                rules.add("milestone", f"milestone:{ms.id}", ms.event)
        for c in m.claims:
            say_match = c.say.event or m.touchpoint(c.say.touchpoint).match
            extra = c.say.where + (c.say.score.conditions() if c.say.score else [])
            rules.add("claim_say", f"claim_say:{c.id}", say_match, extra=extra)
            if c.do.event is not None:
                rules.add("claim_do", f"claim_do:{c.id}", c.do.event)
            do_kind, do_targets = _claim_do(c)
            rows["map_claims"].append({
                "map_id": m.map, "claim_id": c.id, "label": c.label,
                "say_rule_id": f"claim_say:{c.id}", "say_touchpoint_id": c.say.touchpoint,
                "do_kind": do_kind, "do_targets": do_targets,
                "do_within_seconds": c.do.within, "do_absent": c.do.absent,
                "versus_channels": c.do.versus})
        rows["map_rules"] += rules.rules
        rows["map_rule_conditions"] += rules.conditions
        rows["persona_conditions"] += [
            _condition_row(m.map, "persona", i, cond)
            for i, cond in enumerate(m.persona.where, start=1)]
    return rows


def _claim_do(claim) -> tuple[str, list[str]]:
    do = claim.do
    if do.milestone is not None:
        return "milestone", [do.milestone]
    if do.touchpoint is not None:
        return "touchpoint", list(do.touchpoint)
    if do.event is not None:
        return "event", [f"claim_do:{claim.id}"]
    if do.next_milestone:
        return "next_milestone", []
    return "mostly_on", [do.mostly_on]


class _Rules:
    """The match rules of one map, in file order (the last tie-break of precedence)."""

    def __init__(self, journey_map: JourneyMap):
        self.map_id = journey_map.map
        self.rules: list[dict] = []
        self.conditions: list[dict] = []

    def add(self, kind: str, rule_id: str, match: MatchRule, priority: int = 0,
            extra: list[Condition] = ()) -> None:
        where = list(match.where) + list(extra)
        self.rules.append({
            "map_id": self.map_id, "rule_id": rule_id, "rule_kind": kind,
            "owner_id": rule_id.split(":", 1)[1],
            "rule_order": len(self.rules) + 1, "priority": priority,
            "specificity": match.specificity + len(extra),
            "sources": match.source, "event_types": match.event_type,
            "event_names": match.event_name, "n_conditions": len(where)})
        self.conditions += [_condition_row(self.map_id, rule_id, i, c)
                            for i, c in enumerate(where, start=1)]


def _condition_row(map_id: str, rule_id: str, index: int, cond: Condition) -> dict:
    """A condition as typed columns: text and number lists for eq/neq, a pattern for
    icontains/regex, a bound for gt/lt, a flag for is_set."""
    texts, numbers = [], []
    if cond.op in ("eq", "neq"):
        for v in cond.values():
            if isinstance(v, bool):
                texts.append("true" if v else "false")
            elif isinstance(v, (int, float)):
                numbers.append(float(v))
            else:
                texts.append(str(v))
    return {
        "map_id": map_id, "rule_id": rule_id, "condition_index": index,
        "property": cond.property, "json_pointer": _json_pointer(cond.property),
        "op": cond.op, "text_values": texts, "number_values": numbers,
        "pattern": cond.value if cond.op in ("icontains", "regex") else None,
        "bound": float(cond.value) if cond.op in ("gt", "lt") else None,
        "flag": cond.value is not False if cond.op == "is_set" else None}


def _json_pointer(key: str) -> str:
    """RFC 6901 pointer to a top-level key of a JSON object (keys may hold '/' or '~')."""
    return "/" + key.replace("~", "~0").replace("/", "~1")


def build_map_tables(conn: duckdb.DuckDBPyConnection, maps: list[JourneyMap],
                     as_of: str | None) -> dict[str, int]:
    """The map tables (journey_maps ... map_customers) from the maps; row counts per table."""
    rows = compile_maps(maps)
    sql.run(conn, "journeys/macros")
    for table in MAP_TABLES:
        params = {"rows": rows.get(table, []), "as_of_override": as_of}
        if table == "map_customers":
            params = {"persona_conditions": rows["persona_conditions"]}
        sql.run(conn, f"journeys/{table}", params)
    return row_counts(conn, MAP_TABLES)


def row_counts(conn: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    return {t: conn.execute(f"select count(*) from {t}").fetchall()[0][0] for t in tables}


def build_rule_matches(conn: duckdb.DuckDBPyConnection) -> int:
    """Match every rule of every map against the events in scope (journey_rule_matches)."""
    sql.run(conn, "journeys/macros")
    sql.run(conn, "journeys/int_journey_scope")
    sql.run(conn, "journeys/journey_rule_matches")
    return row_counts(conn, ["journey_rule_matches"])["journey_rule_matches"]


def build_table(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rebuild one journeys table from sql/journeys/<table>.sql; its row count."""
    sql.run(conn, f"journeys/{table}")
    return row_counts(conn, [table])[table]


def build_all(conn: duckdb.DuckDBPyConnection, maps: list[JourneyMap],
              as_of: str | None = None) -> dict[str, int]:
    """Every journeys table in order (what the assets do one by one): for tests and scripts."""
    counts = build_map_tables(conn, maps, as_of)
    counts["journey_rule_matches"] = build_rule_matches(conn)
    for table in ["journey_events", "customer_milestones", "customer_journeys",
                  "touchpoint_inventory", *COVERAGE_TABLES]:
        counts[table] = build_table(conn, table)
    return counts
