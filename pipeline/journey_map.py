"""The journey map as code: one YAML file per persona, validated on load.

A map names a persona (a filter on customers), its stages in order, the touchpoints the workshop
put on sticky notes (each with a stage, an owning department, a channel and a rule that says
which events it is), at most five milestones, one endpoint and a conversion window. Ideal maps
add what should happen: optional or repeatable stages, required touchpoints, follow-ups, targets.
Claims pair what customers say with what they then do. The annotated example is
maps/cadence_bikes.as_is.yaml; the semantics are in docs/metrics.md ("Journey maps and
assignment").

Validation reports every problem at once. Shape problems (types, unknown keys, a bad regex or
duration) come from pydantic; reference problems (an unknown stage, a duplicate id, milestones
out of stage order, too many milestones) are checked on the raw YAML, so both kinds are listed
together even when the file is half broken.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr,
                      ValidationError, ValidationInfo, field_validator, model_validator)

from pipeline.config_errors import ConfigError, allowed_keys_at, load_yaml_with_lines, locate_error

#: The workshop rule (article 1): no more than five milestones, unless a map raises it on purpose.
DEFAULT_MAX_MILESTONES = 5
DEFAULT_WINDOW = "14d"

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*")
_ID = r"^[a-z][a-z0-9_]*$"


def parse_duration(value: Any) -> int:
    """'14d' -> seconds. Units s, m, h, d, w (a day is 86 400 s); a bare number means days."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration; write a number and a unit: 30m, 12h, 14d")
    if isinstance(value, (int, float)):
        seconds = float(value) * 86400
    else:
        found = _DURATION.fullmatch(str(value))
        if not found:
            raise ValueError(f"'{value}' is not a duration; write a number and a unit: "
                             f"30s, 15m, 12h, 14d, 2w")
        seconds = float(found.group(1)) * _UNITS[found.group(2)]
    if seconds <= 0:
        raise ValueError(f"'{value}' is not a positive duration")
    return int(round(seconds))


#: A duration in the file ("14d"), held as whole seconds in the model.
Duration = Annotated[int, BeforeValidator(parse_duration)]


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


#: `event_type: web.page_viewed` or `event_type: [a, b]`, held as a list.
OneOrMany = Annotated[list[str], BeforeValidator(_one_or_many)]

Op = Literal["eq", "neq", "icontains", "regex", "is_set", "gt", "lt"]
Scalar = str | int | float | bool


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Condition(_Strict):
    """`{property: utm_medium, op: eq, value: cpc}`: one test on an event (or customer) field.

    `property` is a column of the table or, failing that, a key of its `properties` JSON.
    """

    property: str = Field(min_length=1)
    op: Op = "eq"
    value: Any = Field(None, validate_default=True)

    @field_validator("value")
    @classmethod
    def _value_fits_op(cls, v, info: ValidationInfo):
        op = info.data.get("op")
        if op is None:  # the op itself is invalid: reported on its own
            return v
        if op in ("eq", "neq"):
            values = v if isinstance(v, list) else [v]
            if not values or any(x is None or not isinstance(x, Scalar) for x in values):
                raise ValueError(f"op {op} needs a value or a list of values")
        elif op in ("icontains", "regex"):
            if not isinstance(v, str) or not v:
                raise ValueError(f"op {op} needs a text value")
            if op == "regex":
                problem = regex_problem(v)
                if problem:
                    raise ValueError(f"bad regex '{v}': {problem}")
        elif op == "is_set":
            if v is not None and not isinstance(v, bool):
                raise ValueError("op is_set takes value true (the default) or false")
        elif isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ValueError(f"op {op} needs a number")
        return v

    def values(self) -> list[Scalar]:
        return self.value if isinstance(self.value, list) else [self.value]


@cache
def regex_problem(pattern: str) -> str | None:
    """Why DuckDB's regex engine (RE2) rejects `pattern`, or None. Checked with the engine that
    will run it, so a pattern that passes here cannot fail mid-pipeline."""
    import duckdb

    try:
        duckdb.connect().execute("select regexp_matches('', ?)", [pattern]).fetchall()
    except duckdb.Error as exc:
        return str(exc).split("\n")[0].removeprefix("Invalid Input Error: ")
    return None


class MatchRule(_Strict):
    """Which events a touchpoint is: every part given must hold."""

    source: OneOrMany | None = None
    event_type: OneOrMany | None = None
    event_name: OneOrMany | None = None
    where: list[Condition] = []

    @model_validator(mode="after")
    def _not_empty(self):
        if not (self.source or self.event_type or self.event_name or self.where):
            raise ValueError("a match rule needs at least one of source, event_type, "
                             "event_name, where (an empty rule would match every event)")
        return self

    @property
    def specificity(self) -> int:
        """How many tests the rule makes: the tie-break between rules of equal priority."""
        return sum(1 for part in (self.source, self.event_type, self.event_name) if part) + len(
            self.where)


class Persona(_Strict):
    name: str
    description: str | None = None
    #: Conditions on customer columns (persona, is_identified, ...) or CRM properties.
    where: list[Condition] = []


class Stage(_Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    optional: bool = False
    repeatable: bool = False
    #: Touchpoint ids every journey should pass through in this stage (ideal maps).
    required: list[str] = []


class Touchpoint(_Strict):
    id: str = Field(pattern=_ID)
    label: str
    stage: str
    department: str
    channel: str
    match: MatchRule
    priority: int = 0
    description: str | None = None


class Milestone(_Strict):
    id: str = Field(pattern=_ID)
    label: str | None = None
    touchpoint: str | None = None
    event: MatchRule | None = None
    #: 1 = the first matching event; n = the n-th (a "repeat order" is occurrence 2).
    occurrence: int = Field(1, ge=1)
    endpoint: bool = False
    #: Per-step window: reach this milestone within this long of the previous one (and within
    #: the map's window too, unless the milestone comes after the endpoint).
    window: Duration | None = None
    #: The stage of an event milestone (a touchpoint milestone takes its touchpoint's stage).
    stage: str | None = None

    @model_validator(mode="after")
    def _touchpoint_or_event(self):
        if (self.touchpoint is None) == (self.event is None):
            raise ValueError("a milestone needs exactly one of touchpoint: or event:")
        return self


class FollowUp(_Strict):
    """After touchpoint `after`, unless `unless` happens, `expect` should happen `within`."""

    id: str = Field(pattern=_ID)
    label: str
    after: str
    unless: str | None = None
    expect: str
    within: Duration


class Target(_Strict):
    """The target for the step into `milestone` (from the previous milestone)."""

    milestone: str
    conversion_rate: float | None = Field(None, ge=0, le=1)
    median_time: Duration | None = None


class ScoreRange(_Strict):
    gte: float | None = None
    gt: float | None = None
    lte: float | None = None
    lt: float | None = None

    @model_validator(mode="after")
    def _some_bound(self):
        if all(b is None for b in (self.gte, self.gt, self.lte, self.lt)):
            raise ValueError("a score range needs at least one of gte, gt, lte, lt")
        return self

    def conditions(self) -> list[Condition]:
        """The range as conditions on the events' `score` column (gte 4 == gt 4 - 1e-9)."""
        out = []
        for op, bound, shift in (("gt", self.gte, -1e-9), ("gt", self.gt, 0),
                                 ("lt", self.lte, 1e-9), ("lt", self.lt, 0)):
            if bound is not None:
                out.append(Condition(property="score", op=op, value=bound + shift))
        return out


class ClaimSay(_Strict):
    """What the customer says: a survey touchpoint (or event rule), a score range, conditions."""

    touchpoint: str | None = None
    event: MatchRule | None = None
    score: ScoreRange | None = None
    where: list[Condition] = []

    @model_validator(mode="after")
    def _one_source(self):
        if (self.touchpoint is None) == (self.event is None):
            raise ValueError("say needs exactly one of touchpoint: or event:")
        return self


class ClaimDo(_Strict):
    """What the customer then does, measured from the say event.

    Exactly one of: `milestone`, `touchpoint` (one id or a list), `event` (a rule),
    `next_milestone: true` (the milestone after the furthest one reached when they spoke), or
    `mostly_on: <channel>` (most of their later mapped events are on this channel rather than on
    the `versus` channels). `within` bounds the time; `absent: true` means the claim predicts
    the behaviour does NOT happen.
    """

    milestone: str | None = None
    touchpoint: OneOrMany | None = None
    event: MatchRule | None = None
    next_milestone: bool = False
    mostly_on: str | None = None
    versus: OneOrMany = []
    within: Duration | None = None
    absent: bool = False

    @model_validator(mode="after")
    def _one_behaviour(self):
        given = [self.milestone is not None, self.touchpoint is not None,
                 self.event is not None, self.next_milestone, self.mostly_on is not None]
        if sum(given) != 1:
            raise ValueError("do needs exactly one of milestone, touchpoint, event, "
                             "next_milestone, mostly_on")
        if self.versus and self.mostly_on is None:
            raise ValueError("versus only goes with mostly_on")
        return self


class Claim(_Strict):
    id: str = Field(pattern=_ID)
    label: str
    say: ClaimSay
    do: ClaimDo


class JourneyMap(_Strict):
    map: str = Field(pattern=_ID)
    kind: Literal["as_is", "ideal"]
    title: str
    description: str | None = None
    ideal_of: str | None = None
    persona: Persona
    stages: list[Stage] = Field(min_length=1)
    touchpoints: list[Touchpoint] = Field(min_length=1)
    milestones: list[Milestone] = Field(min_length=1)
    max_milestones: int = Field(DEFAULT_MAX_MILESTONES, ge=1)
    window: Duration = DEFAULT_WINDOW
    follow_ups: list[FollowUp] = []
    targets: list[Target] = []
    claims: list[Claim] = []

    _file: Path | None = PrivateAttr(None)
    _lines: dict = PrivateAttr(default_factory=dict)

    @field_validator("ideal_of")
    @classmethod
    def _ideal_of_is_an_id(cls, value):
        if value is not None and not re.fullmatch(_ID, value):
            raise ValueError(f"'{value}' is not a map id")
        return value

    @property
    def id(self) -> str:
        return self.map

    @property
    def file(self) -> Path | None:
        return self._file

    def line(self, *loc) -> int:
        """The line of a key in the map's file (1 when unknown)."""
        return self._lines.get(tuple(loc), 1)

    def stage_index(self, name: str) -> int:
        """1-based position of a stage."""
        return [s.name for s in self.stages].index(name) + 1

    def touchpoint(self, touchpoint_id: str) -> Touchpoint:
        return next(t for t in self.touchpoints if t.id == touchpoint_id)

    def milestone_stage(self, milestone: Milestone) -> str | None:
        if milestone.touchpoint is not None:
            return self.touchpoint(milestone.touchpoint).stage
        return milestone.stage

    @property
    def endpoint(self) -> Milestone:
        """The milestone marked `endpoint: true`, else the last one."""
        return next((m for m in self.milestones if m.endpoint), self.milestones[-1])

    def within_map_window(self, milestone: Milestone) -> bool:
        """Is the milestone bound by the map's window from milestone 1?

        Milestones up to the endpoint are (their own `window`, if any, applies as well): the
        window is the time to convert. A milestone after the endpoint with its own `window`
        (a repeat order within 180 days of the first) is bound by that window only.
        """
        after_endpoint = self.milestones.index(milestone) > self.milestones.index(self.endpoint)
        return not (after_endpoint and milestone.window is not None)


# ----- problems ------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a map file, where it is, and what to do about it."""

    file: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class MapError(ConfigError):
    """A map file (or a folder of them) has problems; `.details` holds them as `Problem`s."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.details = problems
        super().__init__(path, [str(p) for p in problems])


def validate(path: Path) -> list[Problem]:
    """Every problem of one map file, in line order; [] when the map is good."""
    return _parse(Path(path))[1]


def load_map(path: Path) -> JourneyMap:
    journey_map, problems = _parse(Path(path))
    if problems:
        raise MapError(Path(path), problems)
    return journey_map


def map_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def load_maps(folder: Path) -> list[JourneyMap]:
    """Every map in a folder, checked together: map ids are unique and `ideal_of` names a map
    in the folder. Raises MapError with the problems of every file."""
    maps, problems = validate_folder(folder)
    if problems:
        raise MapError(Path(folder), problems)
    return maps


def validate_folder(folder: Path) -> tuple[list[JourneyMap], list[Problem]]:
    maps, problems = [], []
    for path in map_files(folder):
        journey_map, found = _parse(path)
        problems += found
        if journey_map is not None:
            maps.append(journey_map)
    problems += _cross_map_problems(maps)
    return maps, problems


def _cross_map_problems(maps: list[JourneyMap]) -> list[Problem]:
    problems, seen = [], {}
    ids = list(dict.fromkeys(m.map for m in maps))
    for m in maps:
        if m.map in seen:
            problems.append(Problem(m.file, m.line("map"), "map",
                                    f"duplicate map id '{m.map}' (also in {seen[m.map]})"))
        seen.setdefault(m.map, m.file)
        if m.ideal_of is not None and m.ideal_of not in ids:
            problems.append(Problem(m.file, m.line("ideal_of"), "ideal_of",
                                    _unknown("map", m.ideal_of, ids)))
    return problems


def _parse(path: Path) -> tuple[JourneyMap | None, list[Problem]]:
    try:
        data, lines = load_yaml_with_lines(path)
    except ConfigError as exc:
        line = int(re.search(r":(\d+):", exc.problems[0]).group(1))
        return None, [Problem(path, line, "(file)", exc.problems[0].split(": ", 1)[1])]
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "(top level)", "a map file is a mapping with map:, kind:, "
                                                      "persona:, stages:, touchpoints:, ...")]
    problems: list[Problem] = []
    journey_map = None
    try:
        journey_map = JourneyMap.model_validate(data)
        journey_map._file = path
        journey_map._lines = lines
    except ValidationError as exc:
        errors = exc.errors()
        allowed = {tuple(e["loc"][:-1]): allowed_keys_at(JourneyMap, tuple(e["loc"][:-1]))
                   for e in errors if e["type"] == "extra_forbidden"}
        for err in errors:
            line, field, msg = locate_error(err, lines, allowed)
            problems.append(Problem(path, line, field, msg.removeprefix("Value error, ")))
    problems += _ReferenceCheck(path, data, lines).run()
    return (None if problems else journey_map), sorted(set(problems))


class _ReferenceCheck:
    """Checks that need the whole file: ids, references between sections, milestone order.

    Works on the raw YAML with defensive access, so it runs even when pydantic rejected some
    other part of the file.
    """

    def __init__(self, path: Path, data: dict, lines: dict[tuple, int]):
        self.path, self.data, self.lines = path, data, lines
        self.problems: list[Problem] = []

    def run(self) -> list[Problem]:
        self.stages = self._ids("stages", "name", "stage name")
        self.touchpoints = self._ids("touchpoints", "id", "touchpoint id")
        self.milestones = self._ids("milestones", "id", "milestone id")
        self._ids("follow_ups", "id", "follow-up id")
        self._ids("claims", "id", "claim id")
        tp_stage = {t["id"]: t.get("stage") for _, t in self._items("touchpoints")
                    if isinstance(t.get("id"), str)}
        for i, tp in self._items("touchpoints"):
            self._ref(("touchpoints", i, "stage"), tp.get("stage"), "stage", self.stages)
        for i, stage in self._items("stages"):
            required = stage.get("required")
            for j, tp in enumerate(required if isinstance(required, list) else []):
                loc = ("stages", i, "required", j)
                if self._ref(loc, tp, "touchpoint", self.touchpoints) and \
                        tp_stage.get(tp) != stage.get("name"):
                    self._add(loc, f"touchpoint '{tp}' is in stage '{tp_stage.get(tp)}', "
                                   f"not '{stage.get('name')}'")
        self._milestones(tp_stage)
        for i, f in self._items("follow_ups"):
            for key in ("after", "unless", "expect"):
                self._ref(("follow_ups", i, key), f.get(key), "touchpoint", self.touchpoints)
        targeted = {}
        for i, t in self._items("targets"):
            m = t.get("milestone")
            if self._ref(("targets", i, "milestone"), m, "milestone", self.milestones):
                if m in targeted:
                    self._add(("targets", i, "milestone"), f"a second target for milestone "
                                                           f"'{m}' (first at line {targeted[m]})")
                targeted.setdefault(m, self._line(("targets", i)))
        for i, c in self._items("claims"):
            say, do = c.get("say"), c.get("do")
            if isinstance(say, dict):
                self._ref(("claims", i, "say", "touchpoint"), say.get("touchpoint"),
                          "touchpoint", self.touchpoints)
            if isinstance(do, dict):
                self._ref(("claims", i, "do", "milestone"), do.get("milestone"), "milestone",
                          self.milestones)
                tps = do.get("touchpoint")
                for j, tp in enumerate(tps if isinstance(tps, list) else [tps]):
                    loc = ("claims", i, "do", "touchpoint") + ((j,) if isinstance(tps, list)
                                                                else ())
                    self._ref(loc, tp, "touchpoint", self.touchpoints)
        if self.data.get("kind") == "as_is" and self.data.get("ideal_of") is not None:
            self._add(("ideal_of",), "only an ideal map names the as-is map it is the ideal of")
        return self.problems

    def _milestones(self, tp_stage: dict) -> None:
        items = self._items("milestones")
        limit = self.data.get("max_milestones", DEFAULT_MAX_MILESTONES)
        if isinstance(limit, int) and len(items) > limit:
            self._add(("milestones",),
                      f"{len(items)} milestones; a map has at most {limit} (the workshop rule is "
                      f"five). Keep the few events that matter, or raise max_milestones: on "
                      f"purpose")
        endpoints = [i for i, m in items if m.get("endpoint") is True]
        first = dict(items)[endpoints[0]] if endpoints else None
        for i in endpoints[1:]:
            self._add(("milestones", i, "endpoint"),
                      f"a map has one endpoint; milestone '{first.get('id')}' "
                      f"at line {self._line(('milestones', endpoints[0]))} is already it")
        previous = None  # (stage index, stage, milestone id)
        occurrences: dict[str, tuple[int, str]] = {}
        for i, m in items:
            stage = None
            if m.get("touchpoint") is not None:
                if self._ref(("milestones", i, "touchpoint"), m.get("touchpoint"), "touchpoint",
                             self.touchpoints):
                    stage = tp_stage.get(m["touchpoint"])
                    occ = m.get("occurrence", 1)
                    before = occurrences.get(m["touchpoint"])
                    if isinstance(occ, int) and before and occ <= before[0]:
                        self._add(("milestones", i, "occurrence"),
                                  f"occurrence {occ} of '{m['touchpoint']}' comes after "
                                  f"occurrence {before[0]} (milestone '{before[1]}'); "
                                  f"occurrences of one touchpoint go up")
                    if isinstance(occ, int):
                        occurrences[m["touchpoint"]] = (occ, m.get("id"))
            if m.get("stage") is not None:
                if self._ref(("milestones", i, "stage"), m.get("stage"), "stage", self.stages):
                    stage = m["stage"]
            if stage in self.stages:
                index = self.stages.index(stage)
                if previous and index < previous[0]:
                    self._add(("milestones", i),
                              f"milestone '{m.get('id')}' is in stage '{stage}', before stage "
                              f"'{previous[1]}' of the milestone before it ('{previous[2]}'); "
                              f"milestones follow the stage order")
                previous = (index, stage, m.get("id"))

    def _items(self, section: str) -> list[tuple[int, dict]]:
        values = self.data.get(section)
        if not isinstance(values, list):
            return []
        return [(i, v) for i, v in enumerate(values) if isinstance(v, dict)]

    def _ids(self, section: str, key: str, what: str) -> list[str]:
        seen: dict[str, int] = {}
        for i, item in self._items(section):
            value = item.get(key)
            if not isinstance(value, str):
                continue
            if value in seen:
                self._add((section, i, key), f"duplicate {what} '{value}' (first at line "
                                             f"{seen[value]})")
            else:
                seen[value] = self._line((section, i, key))
        return list(seen)

    def _ref(self, loc: tuple, value: Any, what: str, known: list[str]) -> bool:
        """True when `value` names a known item; records a problem when it names none."""
        if value is None or not isinstance(value, str):
            return False
        if value in known:
            return True
        self._add(loc, _unknown(what, value, known))
        return False

    def _line(self, loc: tuple) -> int:
        for cut in range(len(loc), -1, -1):
            if loc[:cut] in self.lines:
                return self.lines[loc[:cut]]
        return 1

    def _add(self, loc: tuple, message: str) -> None:
        field = ".".join(str(p) for p in loc)
        self.problems.append(Problem(self.path, self._line(loc), field, message))


def _unknown(what: str, value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else (
        f"; known: {', '.join(known)}" if known and len(known) <= 8 else "")
    return f"unknown {what} '{value}'{hint}"
