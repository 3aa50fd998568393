"""Multi-touch attribution of each map's endpoint conversions (docs/metrics.md, "Attribution").

Settings come from `attribution.yaml`, validated on load with errors that name the line. The
models run in DuckDB over `int_attribution_journeys` and `int_attribution_touches`; only the
Markov chains' transition counts (touchpoints x touchpoints per group) are solved in numpy.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import duckdb
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from pipeline import sql
from pipeline.config_errors import (
    ConfigError,
    allowed_keys_at,
    describe_errors,
    load_yaml_with_lines,
)
from pipeline.journey_map import Duration, JourneyMap
from pipeline.markov import removal_effects, touchpoint_opportunities

MODELS = ("first_touch", "last_touch", "linear", "position_based", "time_decay", "markov")


class TimeDecay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    half_life: Duration = 7 * 86400  # seconds; written like 12h, 7d, 2w in the file


class PositionBased(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first: float = 0.4
    last: float = 0.4

    @model_validator(mode="after")
    def _weights(self):
        if self.first < 0 or self.last < 0 or self.first + self.last > 1:
            raise ValueError("first and last must be >= 0 and add up to at most 1 "
                             "(the middle touches share the rest)")
        if self.first + self.last == 0:
            raise ValueError("first and last cannot both be 0")
        return self


class Branches(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Opens, clicks and ratings count toward an anchor's outcome within this time (seconds).
    outcome_window: Duration = 7 * 86400
    # "What they did next" looks this far after the deciding event (seconds).
    next_within: Duration = 14 * 86400


class Opportunity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # A persona or week is a benchmark only with at least this many journeys at the step (or
    # transitions out of the touchpoint).
    min_journeys: int = Field(30, ge=1)


class MapAttribution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # The touchpoints that earn credit; absent = every touchpoint that is not a milestone's.
    credit: list[str] | None = None
    # Touchpoints credited per campaign (events.campaign_name: a visit's utm_campaign, an
    # email's campaign), e.g. one campaign_visit touchpoint -> one credit line per campaign.
    split_by_campaign: list[str] = []


class AttributionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_decay: TimeDecay = TimeDecay()
    position_based: PositionBased = PositionBased()
    branches: Branches = Branches()
    opportunity: Opportunity = Opportunity()
    maps: dict[str, MapAttribution] = {}

    _file: Path | None = PrivateAttr(None)
    _lines: dict = PrivateAttr(default_factory=dict)

    def unknown_maps(self, maps: list[JourneyMap]) -> list[str]:
        """Settings for maps that are not in the maps folder (ignored, but worth a warning: a
        typo, or settings left from another maps folder)."""
        by_id = [m.id for m in maps]
        where = str(self._file or "attribution.yaml")
        notes = []
        for map_id in self.maps:
            if map_id not in by_id:
                close = difflib.get_close_matches(map_id, by_id, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                notes.append(f"{where}:{self._lines.get(('maps', map_id), 1)}: maps.{map_id}: "
                             f"no map '{map_id}' in the maps folder, settings ignored{hint}")
        return notes

    def credited_touchpoints(self, maps: list[JourneyMap]) -> list[dict[str, str]]:
        """(map_id, touchpoint_id, split_by_campaign) of every touchpoint that earns credit,
        checked against the maps: an unknown touchpoint is a ConfigError naming its line."""
        by_id = {m.id: m for m in maps}
        problems, rows = [], []
        where = str(self._file or "attribution.yaml")
        for map_id, conf in self.maps.items():
            if map_id not in by_id:
                continue
            known = [t.id for t in by_id[map_id].touchpoints]
            for field in ("credit", "split_by_campaign"):
                for i, touchpoint_id in enumerate(getattr(conf, field) or []):
                    if touchpoint_id not in known:
                        close = difflib.get_close_matches(touchpoint_id, known, n=1)
                        hint = f"; did you mean '{close[0]}'?" if close else ""
                        line = self._lines.get(("maps", map_id, field, i), 1)
                        problems.append(f"{where}:{line}: maps.{map_id}.{field}.{i}: map "
                                        f"'{map_id}' has no touchpoint '{touchpoint_id}'{hint}")
        if problems:
            raise ConfigError(Path(where), problems)
        for journey_map in maps:
            conf = self.maps.get(journey_map.id, MapAttribution())
            if conf.credit is not None:
                credited = conf.credit
            else:
                milestone_touchpoints = {m.touchpoint for m in journey_map.milestones}
                credited = [t.id for t in journey_map.touchpoints
                            if t.id not in milestone_touchpoints]
            rows += [{"map_id": journey_map.id, "touchpoint_id": t,
                      "split_by_campaign": t in conf.split_by_campaign} for t in credited]
        return rows


def load_settings(path: Path) -> AttributionSettings:
    """Read and validate `attribution.yaml`; a missing file means the defaults."""
    if not path.is_file():
        return AttributionSettings()
    data, lines = load_yaml_with_lines(path)
    try:
        settings = AttributionSettings.model_validate(data or {})
    except ValidationError as exc:
        errors = exc.errors()
        allowed = {tuple(e["loc"][:-1]): allowed_keys_at(AttributionSettings, tuple(e["loc"][:-1]))
                   for e in errors if e["type"] == "extra_forbidden"}
        raise ConfigError(path, describe_errors(path, errors, lines, allowed)) from None
    settings._file, settings._lines = path, lines
    return settings


def build_attribution_tables(conn: duckdb.DuckDBPyConnection, settings: AttributionSettings,
                             maps: list[JourneyMap]) -> None:
    """Attribution of every map's endpoint from the journeys tables (customer_journeys,
    journey_events, customer_milestones, map_milestones)."""
    sql.run(conn, "attribution/int_attribution_journeys")
    sql.run(conn, "attribution/int_attribution_touches",
            params={"credited": settings.credited_touchpoints(maps)})
    build_attribution(conn, settings)


def build_attribution(conn: duckdb.DuckDBPyConnection, settings: AttributionSettings) -> None:
    """Every model's credits from `int_attribution_journeys` and `int_attribution_touches`.

    Writes int_attribution_paths, int_attribution_groups, int_attribution_rule_based_credits,
    int_attribution_transitions, fct_attribution_removal_effects and fct_attribution_credits.
    """
    sql.run(conn, "attribution/int_attribution_paths")
    sql.run(conn, "attribution/int_attribution_groups")
    sql.run(conn, "attribution/int_attribution_rule_based_credits", params={
        "first_weight": settings.position_based.first,
        "last_weight": settings.position_based.last,
        "half_life_seconds": settings.time_decay.half_life,
    })
    sql.run(conn, "attribution/int_attribution_transitions")
    transitions = conn.execute(
        "select group_id, from_state, to_state, n_transitions "
        "from int_attribution_transitions order by all").df()
    frame = removal_effects(transitions)
    conn.register("markov_removal_effects_frame", frame)
    try:
        sql.run(conn, "attribution/fct_attribution_removal_effects")
    finally:
        conn.unregister("markov_removal_effects_frame")
    sql.run(conn, "attribution/fct_attribution_credits")


def build_branch_tables(conn: duckdb.DuckDBPyConnection, settings: AttributionSettings) -> None:
    """Branch analysis from the journeys tables: int_branch_anchors, fct_branches,
    fct_branch_next_touchpoints and fct_branch_follow_ups."""
    sql.run(conn, "metrics/create_wilson_macros")
    sql.run(conn, "attribution/int_branch_anchors", params={
        "outcome_window_seconds": settings.branches.outcome_window,
        "next_within_seconds": settings.branches.next_within,
    })
    for table in ("fct_branches", "fct_branch_next_touchpoints", "fct_branch_follow_ups"):
        sql.run(conn, f"attribution/{table}")


def build_opportunity_tables(conn: duckdb.DuckDBPyConnection,
                             settings: AttributionSettings) -> None:
    """Opportunity sizing per milestone step (fct_opportunity_steps, from customer_journeys and
    the targets) and per touchpoint (fct_opportunity_touchpoints, from the attribution chains)."""
    minimum = settings.opportunity.min_journeys
    sql.run(conn, "attribution/fct_opportunity_steps", params={"min_journeys": minimum})
    transitions = conn.execute(
        "select t.group_id, from_state, to_state, n_transitions "
        "from int_attribution_transitions as t "
        "inner join int_attribution_groups as g on g.group_id = t.group_id "
        "where g.level = 'touchpoint' order by all").df()
    groups = conn.execute(
        "select group_id, map_id, grain, persona, week::varchar as week "
        "from int_attribution_groups where level = 'touchpoint' order by group_id").df()
    frame = touchpoint_opportunities(transitions, groups, minimum)
    conn.register("touchpoint_opportunities_frame", frame)
    try:
        sql.run(conn, "attribution/fct_opportunity_touchpoints")
    finally:
        conn.unregister("touchpoint_opportunities_frame")
