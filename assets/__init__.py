"""Dagster assets, one module per layer: ingest → staging → identity."""
