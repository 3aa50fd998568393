"""Turn pydantic validation errors into messages that name the file, line and field."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A config file has problems. `problems` lists every one, each with file, line and field."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problem(s)\n" + "\n".join(problems))


def load_yaml_with_lines(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Parse YAML and remember the 1-based line of every mapping key and list item."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ConfigError(path, [f"{path}:{line}: not valid YAML: {exc}"]) from None
    lines: dict[tuple, int] = {}

    def walk(n, loc: tuple):
        lines[loc] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                lines[loc + (key.value,)] = key.start_mark.line + 1
                walk(value, loc + (key.value,))
                lines[loc + (key.value,)] = key.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, loc + (i,))

    if node is not None:
        walk(node, ())
    return yaml.safe_load(text), lines


def describe_errors(path: Path, errors: list[dict], lines: dict[tuple, int],
                    allowed_keys: dict[tuple, list[str]] | None = None) -> list[str]:
    problems = []
    for err in errors:
        line, field, msg = locate_error(err, lines, allowed_keys)
        problems.append(f"{path}:{line}: {field}: {msg}")
    return problems


def locate_error(err: dict, lines: dict[tuple, int],
                 allowed_keys: dict[tuple, list[str]] | None = None) -> tuple[int, str, str]:
    """One pydantic error as (line, dotted field, message), with "did you mean" on unknown keys."""
    loc = tuple(err["loc"])
    line = None
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            line = lines[loc[:cut]]
            break
    field = ".".join(str(p) for p in loc) or "(top level)"
    msg = err["msg"]
    if err["type"] == "extra_forbidden" and allowed_keys is not None:
        options = allowed_keys.get(loc[:-1], [])
        close = difflib.get_close_matches(str(loc[-1]), options, n=1)
        msg = f"unknown key '{loc[-1]}'" + (f"; did you mean '{close[0]}'?" if close else "")
    return line or 1, field, msg


def allowed_keys_at(model_cls, loc: tuple) -> list[str]:
    """The field names a pydantic model accepts at `loc` (for "did you mean")."""
    import typing

    from pydantic import BaseModel

    current: Any = model_cls
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = field.annotation
            continue
        origin = typing.get_origin(current)
        if origin in (dict, list):
            current = typing.get_args(current)[-1]
            continue
        return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp):
    import types
    import typing

    from pydantic import BaseModel

    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                return arg
            if typing.get_origin(arg) in (dict, list):
                return arg
    return tp
