"""Read rows of the shared sample company's tables as dicts (for truth-recovery tests)."""


def rows(conn, query, params=None) -> list[dict]:
    cursor = conn.execute(query, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]
