"""Load SQL from `sql/` by name and run it with bound parameters.

Values always travel as parameters. The only text ever substituted into SQL is an identifier
chosen by code (a table name from a fixed registry), never a value from a file or a user.
"""

from __future__ import annotations

from functools import cache
import re
from typing import Any, Mapping

import duckdb

from pipeline.settings import SQL_DIR


_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


class SqlNotFound(LookupError):
    pass


@cache
def load(name: str) -> str:
    """`load("staging/events")` reads `sql/staging/events.sql`."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise SqlNotFound(f"no SQL file {path.relative_to(SQL_DIR.parent)}")
    return path.read_text()


def statements(name: str) -> list[str]:
    """The statements of a multi-statement file, split on lines that are just `;`-terminated."""
    text = load(name)
    parts, current = [], []
    for line in text.splitlines():
        current.append(line)
        if line.rstrip().endswith(";"):
            stmt = "\n".join(current).strip()
            if stmt.strip(" ;\n"):
                parts.append(stmt)
            current = []
    tail = "\n".join(current).strip()
    if tail and not all(ln.strip().startswith("--") or not ln.strip() for ln in current):
        parts.append(tail)
    return parts


def run(
    conn: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | None = None,
    **identifiers: str,
) -> duckdb.DuckDBPyConnection:
    """Run every statement of `sql/<name>.sql`.

    Named parameters (`$name`) are bound per statement: each statement gets only the parameters
    it mentions. `identifiers` fill `{{placeholders}}` with table names chosen by code.
    """
    params = dict(params or {})
    for value in identifiers.values():
        if not _IDENTIFIER.fullmatch(value):
            raise ValueError(f"not a plain identifier: {value!r}")
    result = conn
    for stmt in statements(name):
        for key, value in identifiers.items():
            stmt = stmt.replace("{{" + key + "}}", value)
        used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", stmt)}
        result = conn.execute(stmt, used) if used else conn.execute(stmt)
    return result

