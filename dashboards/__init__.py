"""Plotly report builders: one module per report, sharing the page, palette and site helpers."""
