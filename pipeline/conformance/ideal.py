"""The ideal a journey is measured against: stage order, touchpoints, required ones, follow-ups.

Two kinds of file are accepted:
- a full journey-map file (`map:` key; loaded and validated by pipeline/journey_map.py);
- a minimal ideal file with only `stages: [{name, optional, repeatable}]`, for the ad-hoc
  `journeys conformance` command. There, an event whose name equals a stage's name belongs to
  that stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from pipeline.config_errors import (
    ConfigError,
    allowed_keys_at,
    describe_errors,
    load_yaml_with_lines,
)
from pipeline.conformance.alignment import IdealOrder, Stage


@dataclass(frozen=True)
class Touchpoint:
    id: str
    stage: str
    department: str | None = None
    # Raw event names that mean this touchpoint in a generic event file (besides its id).
    event_names: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class FollowUp:
    id: str
    after: str
    unless: str | None
    expect: str
    within_seconds: int


@dataclass(frozen=True)
class IdealMap:
    name: str
    order: IdealOrder
    touchpoints: tuple[Touchpoint, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()


class _StageSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    optional: bool = False
    repeatable: bool = False


class _MinimalIdeal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stages: list[_StageSpec]

    @model_validator(mode="after")
    def _distinct_names(self):
        names = [s.name for s in self.stages]
        if not names:
            raise ValueError("needs at least one stage")
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"stage names must be distinct; repeated: {', '.join(twice)}")
        return self


def load_ideal(path: Path) -> IdealMap:
    """Read an ideal from a minimal stages file or a full journey-map file."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(path, [f"{path}: no such file"])
    data, lines = load_yaml_with_lines(path)
    if isinstance(data, dict) and "map" in data:
        return from_journey_map(path)
    try:
        spec = _MinimalIdeal.model_validate(data if data is not None else {})
    except ValidationError as exc:
        errors = exc.errors()
        keys = {tuple(e["loc"][:-1]): allowed_keys_at(_MinimalIdeal, tuple(e["loc"][:-1]))
                for e in errors if e["type"] == "extra_forbidden"}
        raise ConfigError(path, describe_errors(path, errors, lines, keys)) from None
    order = IdealOrder(tuple(Stage(s.name, s.optional, s.repeatable) for s in spec.stages))
    return IdealMap(name=path.stem, order=order)


def from_journey_map(path: Path) -> IdealMap:
    """The ideal parts of a full journey-map file (validated by the maps layer)."""
    from pipeline import journey_map

    return ideal_of(journey_map.load_map(path))


def ideal_of(jm) -> IdealMap:
    """Convert a loaded `journey_map.JourneyMap` into what conformance needs."""
    required = {tp for stage in jm.stages for tp in stage.required}
    touchpoints = tuple(
        Touchpoint(id=tp.id, stage=tp.stage, department=tp.department,
                   event_names=tuple(tp.match.event_name or ()), required=tp.id in required)
        for tp in jm.touchpoints)
    follow_ups = tuple(FollowUp(id=f.id, after=f.after, unless=f.unless, expect=f.expect,
                                within_seconds=f.within) for f in jm.follow_ups)
    order = IdealOrder(tuple(Stage(s.name, s.optional, s.repeatable) for s in jm.stages))
    return IdealMap(name=jm.id, order=order, touchpoints=touchpoints, follow_ups=follow_ups)
