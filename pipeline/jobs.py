"""Jobs: ingest new files only, or build everything for a range of weeks."""

import dagster as dg

ingest_job = dg.define_asset_job(
    name="ingest_job",
    selection=dg.AssetSelection.groups("raw") | dg.AssetSelection.assets(
        "staged_views", "identity_inputs"),
    description="Load new export files into raw tables and refresh the staging views.",
)

journeys_job = dg.define_asset_job(
    name="journeys_job",
    selection=dg.AssetSelection.all(),
    description="Everything: raw → staged events for the chosen weeks → identity.",
)

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def week_range_tags(first_week: str, last_week: str) -> dict[str, str]:
    """Tags that make one run build every week from first_week to last_week (single-run
    backfill), so late files land in their own week."""
    return {RANGE_START_TAG: first_week, RANGE_END_TAG: last_week}
