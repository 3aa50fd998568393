"""What a report builder gets: a read connection, the as-of time and the report week."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from pipeline import sql


@dataclass
class ReportContext:
    conn: duckdb.DuckDBPyConnection
    as_of: datetime | None
    week: str  # Monday (ISO date) of the week the as-of time falls in; the dated folder's name

    def has(self, *tables: str) -> bool:
        """True when every table exists (a layer may not have run yet)."""
        return not self.missing(*tables)

    def missing(self, *tables: str) -> list[str]:
        """The tables that do not exist yet, in the order given (one catalogue query)."""
        found = {r[0] for r in self.conn.execute(
            "select table_name from information_schema.tables where table_name in "
            "(select unnest($names))", {"names": list(tables)}).fetchall()}
        return [t for t in tables if t not in found]

    def frame(self, name: str, **params) -> pd.DataFrame:
        """Run `sql/reports/<name>.sql` with bound parameters; the last statement's rows."""
        return sql.run(self.conn, f"reports/{name}", params).df()


def as_of_time(conn: duckdb.DuckDBPyConnection) -> datetime | None:
    """docs/metrics.md: `JOURNEYS_AS_OF` when set, else the latest `occurred_at` in `events`."""
    value = os.environ.get("JOURNEYS_AS_OF")
    if value:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    try:
        return conn.execute("select max(occurred_at) from events").fetchone()[0]
    except duckdb.CatalogException:
        return None


def week_of(moment: datetime | date | None) -> str:
    """The Monday (UTC) of the week `moment` falls in; today's week when there is no data."""
    day = (moment or datetime.utcnow()).date() if isinstance(moment, datetime) or moment is None \
        else moment
    return (day - timedelta(days=day.weekday())).isoformat()


def make_context(conn: duckdb.DuckDBPyConnection) -> ReportContext:
    as_of = as_of_time(conn)
    return ReportContext(conn, as_of, week_of(as_of))
