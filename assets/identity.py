"""Identity layer: stitch identifiers from every source into one customer per person
(docs/identity.md)."""


import dagster as dg

from pipeline.identity import build_identity
from pipeline.project import JourneysProject
from pipeline.resources import JourneysDuckDB

IDENTITY_TABLES = ["identifiers", "identity_edges", "person_map", "event_customers",
                   "customers", "identity_audit_sources"]


@dg.multi_asset(
    specs=[dg.AssetSpec(name, group_name="identity", kinds={"duckdb", "sql"},
                        deps=["events", "identity_inputs"])
           for name in IDENTITY_TABLES],
    pool="duckdb",
    description="Connected components of identifiers (email, CRM ids, anonymous and user ids) "
                "with merge protection; one customer_id per person.",
)
def identity(context: dg.AssetExecutionContext, duckdb: JourneysDuckDB,
             project: JourneysProject):
    rules = project.config().identity
    with duckdb.get_connection() as conn:
        summary = build_identity(conn, rules)
        counts = {t: conn.execute(f"select count(*) from {t}").fetchall()[0][0]
                  for t in IDENTITY_TABLES}
        audit = conn.execute(
            "select source_system, n_events, n_events_attributed, round(stitch_rate, 4) "
            "from identity_audit_sources order by source_system").fetchall()
        sizes = conn.execute(
            "select n_identifiers, n_customers from identity_audit_component_sizes "
            "order by n_identifiers limit 20").fetchall()
    for table in IDENTITY_TABLES:
        metadata = {"dagster/row_count": counts[table]}
        if table == "customers":
            metadata["summary"] = dg.MetadataValue.json(
                {k: v for k, v in summary.items() if isinstance(v, (int, float, str))})
            metadata["component_sizes"] = dg.MetadataValue.md(
                "| identifiers | customers |\n|---|---|\n"
                + "\n".join(f"| {a} | {b} |" for a, b in sizes))
        if table == "identity_audit_sources":
            metadata["stitch_rate"] = dg.MetadataValue.md(
                "| source | events | attributed | stitch rate |\n|---|---|---|---|\n"
                + "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in audit))
        yield dg.MaterializeResult(asset_key=table, metadata=metadata)
