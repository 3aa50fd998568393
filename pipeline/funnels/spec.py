"""The funnel spec: steps, order, window, exclusions, filters and breakdown, validated on load.

Definitions follow docs/metrics.md#funnels. A spec is read from YAML or JSON (JSON is valid YAML),
and every problem is reported with its file, line and field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.config_errors import ConfigError, allowed_keys_at, describe_errors, load_yaml_with_lines

DEFAULT_WINDOW_SECONDS = 14 * 86_400
WINDOW_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 7 * 86_400}
MAX_STEPS = 30
Op = Literal["eq", "neq", "icontains", "not_icontains", "regex", "is_set", "is_not_set",
             "gt", "gte", "lt", "lte"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Condition(_Strict):
    """`property op value`. Properties are event columns (or keys of a `properties` JSON column)."""

    property: str = Field(min_length=1)
    op: Op = "eq"
    value: Any = None

    @model_validator(mode="after")
    def _value_fits_op(self):
        if self.op in ("is_set", "is_not_set"):
            return self
        if self.value is None:
            raise ValueError(f"op '{self.op}' needs a value")
        if self.op in ("gt", "gte", "lt", "lte") and not isinstance(self.value, (int, float)):
            raise ValueError(f"op '{self.op}' needs a number, got {self.value!r}")
        if isinstance(self.value, list) and self.op not in ("eq", "neq"):
            raise ValueError(f"a list of values only works with eq or neq, not '{self.op}'")
        if self.op == "regex":
            try:
                re.compile(str(self.value))
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return self


class Step(_Strict):
    event: str | None = None  # null: any event
    where: list[Condition] = []
    optional: bool = False
    name: str | None = None
    #: Per-step window: this step must come within this long of the previous step on the path
    #: (as well as within the funnel window, unless `within_funnel_window` is false).
    window: str | int | float | None = None
    #: False: only the step's own window bounds it, not the funnel window from step 0 (a map's
    #: milestones after its endpoint).
    within_funnel_window: bool = True

    @field_validator("window")
    @classmethod
    def _step_window_parses(cls, value):
        if value is not None:
            step_window_seconds(value)
        return value

    @property
    def window_seconds(self) -> int | None:
        return None if self.window is None else step_window_seconds(self.window)

    @property
    def label(self) -> str:
        return self.name or self.event or "Any event"


class Exclusion(_Strict):
    event: str | None = None
    where: list[Condition] = []
    from_step: int = Field(0, ge=0)
    to_step: int = Field(1, ge=1)


class Breakdown(_Strict):
    properties: list[str] = Field(min_length=1)
    source: Literal["event", "person"] = "event"
    attribution: Literal["first_touch", "last_touch", "all_events", "step"] = "first_touch"
    step: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _step_given_for_step_attribution(self):
        if self.attribution == "step" and self.step is None:
            raise ValueError("attribution 'step' needs `step: N` (0-based)")
        if self.attribution != "step" and self.step is not None:
            raise ValueError(f"`step` only goes with attribution 'step', not '{self.attribution}'")
        return self


class FunnelSpec(_Strict):
    steps: list[Step] = Field(min_length=2, max_length=MAX_STEPS)
    order: Literal["ordered", "strict", "unordered"] = "ordered"
    window: str | int | float = "14d"
    exclusions: list[Exclusion] = []
    filters: list[Condition] = []
    breakdown: Breakdown | None = None

    @field_validator("window")
    @classmethod
    def _window_parses(cls, value):
        window_seconds(value)
        return value

    @model_validator(mode="after")
    def _consistent(self):
        n = len(self.steps)
        if self.steps[0].optional:
            raise ValueError("steps.0: the first step cannot be optional")
        if self.steps[-1].optional:
            raise ValueError(f"steps.{n - 1}: the last step cannot be optional")
        if self.order == "unordered" and any(s.optional for s in self.steps):
            raise ValueError("optional steps only work with order 'ordered' or 'strict'")
        if self.steps[0].window is not None:
            raise ValueError("steps.0.window: the first step has no previous step to be "
                             "within; the funnel's `window` starts at it")
        for i, step in enumerate(self.steps):
            if step.window is not None and self.order == "unordered":
                raise ValueError(f"steps.{i}.window: an unordered funnel has no previous step; "
                                 "per-step windows need order 'ordered' or 'strict'")
            if not step.within_funnel_window and step.window is None:
                raise ValueError(f"steps.{i}.within_funnel_window: a step outside the funnel "
                                 "window needs its own `window`")
        for i, ex in enumerate(self.exclusions):
            if ex.to_step >= n:
                raise ValueError(f"exclusions.{i}.to_step: {ex.to_step} is past the last step "
                                 f"({n - 1})")
            if ex.from_step >= ex.to_step:
                raise ValueError(f"exclusions.{i}: from_step ({ex.from_step}) must be before "
                                 f"to_step ({ex.to_step})")
            if self.order == "unordered" and (ex.from_step, ex.to_step) != (0, n - 1):
                raise ValueError(f"exclusions.{i}: in an unordered funnel an exclusion spans "
                                 f"the whole funnel (from_step 0, to_step {n - 1})")
        b = self.breakdown
        if b is not None and b.attribution == "step":
            if b.step >= n:
                raise ValueError(f"breakdown.step: {b.step} is past the last step ({n - 1})")
            if self.order == "unordered" and b.step > 0:
                raise ValueError("breakdown.step: an unordered funnel can only attribute to "
                                 "step 0")
        return self

    @property
    def window_seconds(self) -> int:
        return window_seconds(self.window)

    @property
    def step_names(self) -> list[str]:
        if self.order == "unordered":
            return [f"Completed {i + 1} step{'s' if i else ''}" for i in range(len(self.steps))]
        return [s.label for s in self.steps]


_WINDOW = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*([smhdw]?)\s*")


def window_seconds(value: str | int | float) -> int:
    """`"14d"` -> 1 209 600. No unit means days; a value <= 0 falls back to 14 days."""
    if isinstance(value, bool):
        raise ValueError(f"window must look like 14d, 36h, 2w (units s m h d w), got {value!r}")
    match = _WINDOW.fullmatch(str(value))
    if not match:
        raise ValueError(f"window must look like 14d, 36h, 2w (units s m h d w), got {value!r}")
    amount, unit = float(match.group(1)), match.group(2) or "d"
    seconds = int(round(amount * WINDOW_UNITS[unit]))
    return seconds if seconds > 0 else DEFAULT_WINDOW_SECONDS


def step_window_seconds(value: str | int | float) -> int:
    """A per-step window, like the funnel's but never defaulted: it must be positive."""
    seconds = window_seconds(value)
    match = _WINDOW.fullmatch(str(value))
    if float(match.group(1)) <= 0:
        raise ValueError(f"a step's window must be positive, got {value!r}")
    return seconds


def load_spec(path: Path) -> FunnelSpec:
    """Read a YAML or JSON funnel spec; every problem is reported with its line and field."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(path, [f"{path}: no such funnel spec file"])
    data, lines = load_yaml_with_lines(path)
    if not isinstance(data, dict):
        raise ConfigError(path, [f"{path}:1: a funnel spec is a mapping with `steps:`"])
    try:
        return FunnelSpec.model_validate(data)
    except ValidationError as exc:
        errors = [_locate_model_error(e) for e in exc.errors()]
        allowed = {tuple(e["loc"][:-1]): allowed_keys_at(FunnelSpec, tuple(e["loc"][:-1]))
                   for e in errors if e["type"] == "extra_forbidden"}
        raise ConfigError(path, describe_errors(path, errors, lines, allowed)) from None


def _locate_model_error(err: dict) -> dict:
    """Cross-field errors say their field in the message ("exclusions.0.to_step: ..."); move
    that into the location so the line number points at it."""
    msg = str(err.get("msg", ""))
    match = re.match(r"(?:Value error, )?([a-z_]+(?:\.[a-z_0-9]+)*): (.*)", msg, re.S)
    if err["type"] == "value_error" and match and match.group(1).split(".")[0] in FunnelSpec.model_fields:
        loc = tuple(int(p) if p.isdigit() else p for p in match.group(1).split("."))
        return {**err, "loc": tuple(err["loc"]) + loc, "msg": match.group(2)}
    if err["type"] == "value_error" and msg.startswith("Value error, "):
        return {**err, "msg": msg[len("Value error, "):]}
    return err
