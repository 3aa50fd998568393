"""Say versus do: claims from the map files against what customers then did, and the built-in
views (NPS vs behaviour, CSAT vs progression, stated vs engaged channel, calibration).
Definitions in docs/metrics.md, "Say versus do"; SQL in sql/say_vs_do/."""

from __future__ import annotations

import duckdb

from pipeline import sql

TABLES = ["int_survey_responses", "int_claim_outcomes", "say_vs_do", "say_vs_do_gap_customers",
          "claim_calibration", "nps_vs_behaviour", "csat_vs_progression",
          "stated_vs_actual_channel"]
#: How long after an answer the built-in views look for later behaviour (churn, progression).
HORIZON_DAYS = 90


def build_say_vs_do(conn: duckdb.DuckDBPyConnection, horizon_days: int = HORIZON_DAYS
                    ) -> dict[str, int]:
    sql.run(conn, "metrics/create_wilson_macros")
    sql.run(conn, "say_vs_do/create_macros")
    for name in ("int_survey_responses", "int_claim_outcomes", "say_vs_do",
                 "claim_calibration", "nps_vs_behaviour", "csat_vs_progression",
                 "stated_vs_actual_channel"):
        sql.run(conn, f"say_vs_do/{name}", {"horizon_days": horizon_days})
    return {t: conn.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}
