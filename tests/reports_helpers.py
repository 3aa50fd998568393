"""Build the HTML reports of an already-run database into a folder of the test's choosing."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipeline.resources import JourneysDuckDB


def build_reports(database: Path, folder: Path) -> dict[str, dict]:
    """Materialise every report asset and the index read-only against `database`; returns each
    asset's metadata by asset name."""
    from assets import reports

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JOURNEYS_REPORTS", str(folder))
        result = dg.materialize(
            [*reports.report_assets, reports.reports_index],
            resources={"duckdb": JourneysDuckDB(database=str(database), read_only=True)},
            instance=dg.DagsterInstance.ephemeral(),
        )
    return {e.asset_key.to_user_string(): e.materialization.metadata
            for e in result.get_asset_materialization_events()}
