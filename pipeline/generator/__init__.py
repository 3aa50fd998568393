"""Sample-company generator: vendor-shaped exports of "Cadence Bikes" plus the planted truth.

`generate(out_dir, customers, seed)` writes hubspot/, sendgrid/, segment/, zendesk/, surveys/
and generic/ (the shapes in docs/exports.md) and truth/ beside them.
"""

from pipeline.generator.core import CHUNK_SIZE, generate

__all__ = ["CHUNK_SIZE", "generate"]
