"""Multi-touch attribution of each map's endpoint conversions (docs/metrics.md, "Attribution").

Settings come from `attribution.yaml`, validated on load with errors that name the line. The
models run in DuckDB over `int_attribution_journeys` and `int_attribution_touches`; only the
Markov chains' transition counts (touchpoints x touchpoints per group) are solved in numpy.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from pipeline import sql
from pipeline.config_errors import (
    ConfigError,
    allowed_keys_at,
    describe_errors,
    load_yaml_with_lines,
)
from pipeline.markov import removal_effects

_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

MODELS = ("first_touch", "last_touch", "linear", "position_based", "time_decay", "markov")


def duration_seconds(text: str) -> float:
    """'7d' -> 604800.0; units s, m, h, d, w (a day is 86 400 s)."""
    match = _DURATION.fullmatch(str(text))
    if not match:
        raise ValueError(f"'{text}' is not a duration like 12h, 7d or 2w")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


class TimeDecay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    half_life: str = "7d"

    @field_validator("half_life")
    @classmethod
    def _positive(cls, value):
        if duration_seconds(value) <= 0:
            raise ValueError("half_life must be longer than 0")
        return value

    @property
    def half_life_seconds(self) -> float:
        return duration_seconds(self.half_life)


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


class MapAttribution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Touchpoints that are consequences of progress rather than interactions to credit.
    not_credited: list[str] = []


class AttributionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_decay: TimeDecay = TimeDecay()
    position_based: PositionBased = PositionBased()
    maps: dict[str, MapAttribution] = {}

    def not_credited(self, map_id: str) -> list[str]:
        return self.maps.get(map_id, MapAttribution()).not_credited


def load_settings(path: Path) -> AttributionSettings:
    """Read and validate `attribution.yaml`; a missing file means the defaults."""
    if not path.is_file():
        return AttributionSettings()
    data, lines = load_yaml_with_lines(path)
    try:
        return AttributionSettings.model_validate(data or {})
    except ValidationError as exc:
        errors = exc.errors()
        allowed = {tuple(e["loc"][:-1]): allowed_keys_at(AttributionSettings, tuple(e["loc"][:-1]))
                   for e in errors if e["type"] == "extra_forbidden"}
        raise ConfigError(path, describe_errors(path, errors, lines, allowed)) from None


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
        "half_life_seconds": settings.time_decay.half_life_seconds,
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
