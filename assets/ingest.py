"""Raw layer: one asset per source, loading new export files into lossless raw tables.

Each asset checks, as a blocking check, that the ledger reconciles exactly: for every file
loaded, rows read = rows loaded + rows rejected + duplicates, and the raw and rejects tables hold
exactly what the ledger says was loaded and rejected.
"""


from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from pipeline import sql
from pipeline.loading import LoadResult, ensure_load_tables, ensure_raw_table, load_files
from pipeline.project import JourneysProject
from pipeline.resources import JourneysDuckDB

RECONCILIATION_CHECK = "rows_reconcile"


def load_kind(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB,
              project: JourneysProject, kind: str) -> dg.MaterializeResult:
    objects = project.objects(kind)
    results: list[LoadResult] = []
    loaded_at = datetime.now(timezone.utc)
    with duckdb.get_connection() as conn:
        ensure_load_tables(conn)
        for obj in objects:
            files = obj.find_files()
            # One transaction and one set-based pass per object over all its new files.
            for result in load_files(conn, obj, files, loaded_at=loaded_at):
                results.append(result)
                context.log.info(
                    f"{obj.source}.{obj.spec.name} {Path(result.file).name}: "
                    + ("already loaded, skipped" if result.skipped else
                       f"read {result.rows_read}, loaded {result.rows_loaded}, "
                       f"rejected {result.rows_rejected}, duplicate {result.rows_duplicate}"))
        for obj in objects:
            ensure_raw_table(conn, obj)
        tables = [obj.raw_table for obj in objects]
        audit = [
            sql.run(conn, "raw/reconcile_raw_table", {"source": obj.source,
                                                      "object": obj.spec.name},
                    raw_table=obj.raw_table).fetchall()[0]
            for obj in objects
        ]
    failed_files = [r for r in results if not r.reconciles]
    failed_tables = [a for a in audit if not a[-1]]
    rows = {t: a[1] for t, a in zip(tables, audit)}
    new = [r for r in results if not r.skipped]
    check = dg.AssetCheckResult(
        check_name=RECONCILIATION_CHECK,
        passed=not failed_files and not failed_tables,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "files_not_reconciling": dg.MetadataValue.json([r.file for r in failed_files]),
            "tables_not_matching_ledger": dg.MetadataValue.json(
                [{"object": a[0], "raw_rows": a[1], "ledger_loaded": a[2],
                  "rejects": a[3], "ledger_rejected": a[4]} for a in failed_tables]),
        },
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": sum(rows.values()),
            "rows_per_table": dg.MetadataValue.json(rows),
            "files_loaded": len(new),
            "files_skipped_already_loaded": len(results) - len(new),
            "rows_read": sum(r.rows_read for r in new),
            "rows_loaded": sum(r.rows_loaded for r in new),
            "rows_rejected": sum(r.rows_rejected for r in new),
            "rows_duplicate": sum(r.rows_duplicate for r in new),
            "loads": dg.MetadataValue.md(_loads_table(new)),
        },
        check_results=[check],
    )


def _loads_table(results: list[LoadResult]) -> str:
    if not results:
        return "No new files."
    lines = ["| file | read | loaded | rejected | duplicate |", "|---|---|---|---|---|"]
    for r in results:
        name = r.file.rsplit("/", 1)[-1]
        lines.append(f"| {name} | {r.rows_read} | {r.rows_loaded} | {r.rows_rejected} "
                     f"| {r.rows_duplicate} |")
    return "\n".join(lines)


def _raw_asset(kind: str, description: str):
    @dg.asset(
        name=f"raw_{kind}",
        group_name="raw",
        kinds={"duckdb"},
        pool="duckdb",
        description=description,
        check_specs=[dg.AssetCheckSpec(RECONCILIATION_CHECK, asset=f"raw_{kind}", blocking=True,
                                       description="rows read = loaded + rejected + duplicate, "
                                                   "and raw/rejects tables match the ledger")],
    )
    def _asset(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB,
               project: JourneysProject) -> dg.MaterializeResult:
        return load_kind(context, duckdb, project, kind)

    return _asset


raw_hubspot = _raw_asset("hubspot", "HubSpot contacts, deals, deal-stage and lifecycle history, "
                                    "list memberships and workflow enrollments (CSV).")
raw_sendgrid = _raw_asset("sendgrid", "SendGrid Event Webhook events (JSON lines).")
raw_segment = _raw_asset("segment", "Segment track, page and identify messages (JSON lines).")
raw_zendesk = _raw_asset("zendesk", "Zendesk users, tickets, comments, metrics and "
                                    "satisfaction ratings (JSON lines).")
raw_surveys = _raw_asset("surveys", "NPS, CSAT and purchase-intent survey responses (CSV).")
raw_generic = _raw_asset("generic", "Generic event and person files from any other tool "
                                    "(CSV, JSON lines or Parquet).")
