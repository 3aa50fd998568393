"""Paths and tunables, resolved from the repo root or from environment variables.

Nothing here depends on the current directory, so the CLI, `dagster dev` and the tests agree on
where the database, exports and inbox live.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = REPO_ROOT / "sql"
MAPS_DIR = REPO_ROOT / "maps"


def _path(env_var: str, default: Path) -> Path:
    value = os.environ.get(env_var)
    return Path(value).expanduser().resolve() if value else default


def database_path() -> Path:
    """The embedded DuckDB file every asset reads and writes."""
    return _path("JOURNEYS_DATABASE", REPO_ROOT / "data" / "warehouse" / "journeys.duckdb")


def exports_dir() -> Path:
    """The folder of vendor exports that `journeys run` and the Dagster assets load."""
    return _path("JOURNEYS_EXPORTS", REPO_ROOT / "data" / "exports")


def sources_config_path() -> Path:
    """The one file that says which exports belong to which source and format."""
    return _path("JOURNEYS_SOURCES", REPO_ROOT / "sources.yaml")


def inbox_dir() -> Path:
    """New export files dropped here are picked up by the inbox sensor."""
    return _path("JOURNEYS_INBOX", exports_dir())


def maps_dir() -> Path:
    """The folder of journey map files (maps/*.yaml) the journeys assets measure against."""
    return _path("JOURNEYS_MAPS", MAPS_DIR)


def attribution_config_path() -> Path:
    """Which touchpoints earn credit per map, and the attribution models' settings."""
    return _path("JOURNEYS_ATTRIBUTION", REPO_ROOT / "attribution.yaml")


def as_of_override() -> str | None:
    """`JOURNEYS_AS_OF` (an ISO time, UTC): the time metrics are computed for, when set."""
    return os.environ.get("JOURNEYS_AS_OF") or None


def first_week() -> str:
    """The Monday of the first weekly partition (ISO date)."""
    return os.environ.get("JOURNEYS_FIRST_WEEK", "2025-01-06")


DUCKDB_MEMORY_LIMIT = os.environ.get("JOURNEYS_DUCKDB_MEMORY_LIMIT", "3GB")
DUCKDB_THREADS = int(os.environ.get("JOURNEYS_DUCKDB_THREADS", "2"))


def report_free_text() -> bool:
    """Whether reports may quote customers' free text (survey comments). Off by default: a
    comment can hold a name, which masking e-mail addresses and phone numbers does not catch."""
    return os.environ.get("JOURNEYS_REPORT_FREE_TEXT", "").lower() in ("1", "true", "yes")


def reports_dir() -> Path:
    """Where the HTML reports go: one folder per week, latest/, index.html (docs: README)."""
    return _path("JOURNEYS_REPORTS", REPO_ROOT / "reports")
