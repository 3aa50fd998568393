"""What every benchmark records beside its timings: the machine's size, and one JSON line per
run appended to bench/results/<name>.jsonl (ignored by git; the README quotes the numbers)."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def machine() -> dict:
    import duckdb  # here, so a pandas or chdb child process never loads it (peak memory)

    mem_kb = int(next(line.split()[1] for line in open("/proc/meminfo")
                      if line.startswith("MemTotal")))
    return {"cpus": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "duckdb": duckdb.__version__}


def append_result(name: str, row: dict) -> Path:
    out = REPO / "bench" / "results" / f"{name}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a") as fh:
        fh.write(json.dumps(row) + "\n")
    return out
