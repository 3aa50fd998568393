"""Compile a funnel spec's steps, exclusions, filters and breakdown into DuckDB expressions.

Only identifiers are ever written into the SQL text (quoted); every value from the spec travels
as a bound parameter. A property is an event column when the relation has one of that name,
otherwise a key of its `properties` JSON column (when it has one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from pipeline.funnels.spec import Condition, FunnelSpec


class SpecFieldError(ValueError):
    """A spec field refers to something the events do not have (e.g. an unknown property)."""


class EventsError(ValueError):
    """The events cannot be counted as they are (e.g. an event with no person)."""


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@dataclass
class Compiler:
    """Accumulates `$pN` parameters while it writes expressions."""

    columns: list[str]
    params: dict = field(default_factory=dict)

    def param(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def prop(self, name: str, where: str) -> str:
        """A property as VARCHAR (NULL when absent)."""
        if name in self.columns:
            return f"cast({quote(name)} as varchar)"
        if "properties" in self.columns:
            return f"json_extract_string(properties, {self.param('$.' + _json_key(name))})"
        raise SpecFieldError(f"{where}: unknown property '{name}'; the events have "
                             f"{', '.join(self.columns)}")

    def condition(self, cond: Condition, where: str) -> str:
        v = self.prop(cond.property, f"{where}.property")
        op, value = cond.op, cond.value
        if op == "is_set":
            return f"({v} is not null and {v} <> '')"
        if op == "is_not_set":
            return f"({v} is null or {v} = '')"
        if op in ("gt", "gte", "lt", "lte"):
            sym = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            return f"coalesce(try_cast({v} as double) {sym} {self.param(float(value))}, false)"
        if op in ("eq", "neq"):
            values = value if isinstance(value, list) else [value]
            texts = [_as_text(x) for x in values]
            test = f"list_contains({self.param(texts)}::varchar[], {v})"
            # A missing property never equals anything, and is "not equal" to every value.
            return f"coalesce({test}, false)" if op == "eq" else f"not coalesce({test}, false)"
        if op == "icontains":
            return f"coalesce(contains(lower({v}), lower({self.param(str(value))})), false)"
        if op == "not_icontains":
            return f"not coalesce(contains(lower({v}), lower({self.param(str(value))})), false)"
        if op == "regex":
            return f"coalesce(regexp_matches({v}, {self.param(str(value))}), false)"
        raise AssertionError(op)

    def event_rule(self, event: str | None, where: list[Condition], path: str) -> str:
        parts = [] if event is None else [f"event = {self.param(event)}"]
        parts += [self.condition(c, f"{path}.where.{i}") for i, c in enumerate(where)]
        return "(" + " and ".join(parts) + ")" if parts else "true"


def _json_key(name: str) -> str:
    return '"' + name.replace('"', '\\"') + '"'


def _as_text(value) -> str:
    """How a spec value compares with a property read as text: true -> 'true', 3.0 -> '3'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class CompiledSpec:
    # When every step and exclusion is a plain event name: the event's 1-based position among
    # those names (0: none of them), which the masks read as the column `fn_event_position`.
    event_position: str | None
    step_mask: str  # BIGINT: bit s set when the event matches step s
    exclusion_mask: str  # BIGINT: bit s set for an exclusion that guards the step s-1 -> s
    filters: str  # BOOLEAN over every event
    breakdown: str | None  # VARCHAR[] of the breakdown properties on the event, '' when missing
    params: dict


def compile_spec(spec: FunnelSpec, columns: list[str], text_events: bool = True) -> CompiledSpec:
    """`text_events`: the event column is VARCHAR. Otherwise names are matched with `=`, which
    converts the name to the column's type (step "5" matches the number 5.0)."""
    c = Compiler(columns)
    rules = spec.steps + spec.exclusions
    event_position = None
    if text_events and all(r.event is not None and not r.where for r in rules):
        event_position, step_mask, exclusion_mask = _by_event_name(c, spec)
    else:
        step_terms = [f"(case when {c.event_rule(s.event, s.where, f'steps.{i}')} "
                      f"then {1 << i}::bigint else 0::bigint end)"
                      for i, s in enumerate(spec.steps)]
        exclusion_terms = [f"(case when {c.event_rule(ex.event, ex.where, f'exclusions.{i}')} "
                           f"then {_guarded_steps(ex)}::bigint else 0::bigint end)"
                           for i, ex in enumerate(spec.exclusions)]
        step_mask = "(" + " | ".join(step_terms) + ")::bigint"
        exclusion_mask = "(" + (" | ".join(exclusion_terms) or "0") + ")::bigint"
    filters = " and ".join(c.condition(f, f"filters.{i}") for i, f in enumerate(spec.filters))
    breakdown = None
    if spec.breakdown is not None and spec.breakdown.source == "event":
        props = [f"coalesce({c.prop(p, f'breakdown.properties.{i}')}, '')"
                 for i, p in enumerate(spec.breakdown.properties)]
        breakdown = "[" + ", ".join(props) + "]"
    return CompiledSpec(
        event_position=event_position,
        step_mask=step_mask,
        exclusion_mask=exclusion_mask,
        filters=filters or "true",
        breakdown=breakdown,
        params=c.params,
    )


def _guarded_steps(exclusion) -> int:
    # An exclusion from f to t guards every step f+1..t: it taints an attempt that reached
    # one of f..t-1 and has not yet reached the next step (metric-semantics 1.6).
    return sum(1 << k for k in range(exclusion.from_step + 1, exclusion.to_step + 1))


def _by_event_name(c: Compiler, spec: FunnelSpec) -> tuple[str, str, str]:
    """For a spec whose steps and exclusions are plain event names: the event's position among
    the names, and masks looked up by it from lists, instead of one CASE per step. The position
    is computed once per event and also serves as the read's filter (on 20M events this is
    about a third of the read's cost)."""
    names = sorted({r.event for r in spec.steps + spec.exclusions})
    step_masks = [reduce(or_, (1 << i for i, s in enumerate(spec.steps) if s.event == name), 0)
                  for name in names]
    exclusion_masks = [reduce(or_, (_guarded_steps(x) for x in spec.exclusions
                                    if x.event == name), 0) for name in names]
    position = f"list_position({c.param(names)}::varchar[], cast(event as varchar))"
    step_mask = f"coalesce(({c.param(step_masks)}::bigint[])[fn_event_position], 0)"
    if not spec.exclusions:
        return position, step_mask, "0::bigint"
    return position, step_mask, \
        f"coalesce(({c.param(exclusion_masks)}::bigint[])[fn_event_position], 0)"
