"""The one Dagster Definitions of Journeys: every asset, check, job, schedule, sensor, resource."""

import dagster as dg

from assets import (attribution, conformance, funnels, identity, ingest, journeys,
                    reports, say_vs_do, staging)
from pipeline import settings
from pipeline.jobs import ingest_job, journeys_job
from pipeline.project import default_project
from pipeline.resources import JourneysDuckDB
from pipeline.schedules import journeys_weekly_schedule
from pipeline.sensors import inbox_sensor

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([ingest, staging, identity, journeys, conformance,
                                        say_vs_do, funnels, reports, attribution]),
    asset_checks=dg.load_asset_checks_from_modules([ingest, staging, identity, journeys,
                                                    conformance, say_vs_do, funnels,
                                                    reports, attribution]),
    jobs=[ingest_job, journeys_job],
    schedules=[journeys_weekly_schedule],
    sensors=[inbox_sensor],
    resources={
        "duckdb": JourneysDuckDB(database=str(settings.database_path())),
        "project": default_project(),
    },
    # DuckDB takes one writer per file: steps run one at a time in the run's own process.
    executor=dg.in_process_executor,
)
