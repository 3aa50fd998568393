"""Load export files into lossless raw tables, with rejects and an exact row-count ledger.

All new files of one source object load in one transaction, set-based: each file is read once
and parsed once by the object's `sql/raw/parse_<kind>__<object>.sql` straight into
`raw_<source>__<object>` (the JSON-lines files of a load stream from their files in one
statement; CSV and Parquet go one by one through a small temp table that gives each row its
true row number). Then `sql/raw/finish_load.sql`, once for
the whole batch,
- moves rows that fail validation to `load_rejects` with file, row, field and reason;
- deletes rows whose natural key is already loaded (by an earlier load, or earlier in this batch
  in file order) and counts them as duplicates;
- writes `load_ledger`: rows_read = rows_loaded + rows_rejected + rows_duplicate per file.
A file seen before is skipped, so loading it again adds nothing: same path, size and
modification time (no hashing), or the same content (sha256, computed only for files whose
size matches a file already loaded). The other new files are hashed in a thread while DuckDB
loads them.
"""

from __future__ import annotations

import csv
import hashlib
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipeline import sql
from pipeline.settings import SQL_DIR
from pipeline.sources import FORMAT_BY_SUFFIX, ResolvedObject


class ExportFileError(ValueError):
    """A whole file cannot be loaded: unknown format or missing required columns."""


@dataclass(frozen=True)
class LoadResult:
    source: str
    object: str
    file: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_duplicate: int
    skipped: bool = False

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected + self.rows_duplicate


def ensure_load_tables(conn: duckdb.DuckDBPyConnection) -> None:
    sql.run(conn, "raw/create_macros")
    sql.run(conn, "raw/create_load_tables")


def ensure_raw_table(conn: duckdb.DuckDBPyConnection, obj: ResolvedObject) -> None:
    """Create the object's raw table even before any file arrives, so views over it work."""
    sql.run(conn, "raw/create_raw_table", raw_table=obj.raw_table)
    if (SQL_DIR / "raw" / f"{obj.raw_table}.sql").is_file():
        sql.run(conn, f"raw/{obj.raw_table}")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def file_format(obj: ResolvedObject, path: Path) -> str:
    fmt = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None or fmt not in obj.spec.formats:
        allowed = ", ".join(obj.spec.formats)
        raise ExportFileError(
            f"{path}: unknown format '{path.suffix or '(no extension)'}' for "
            f"{obj.source}.{obj.spec.name}; expected {allowed}")
    return fmt


@dataclass
class _NewFile:
    path: Path
    fmt: str
    size: int
    mtime: float
    load_id: str
    sha256: Future | str


def load_file(
    conn: duckdb.DuckDBPyConnection,
    obj: ResolvedObject,
    path: Path,
    *,
    loaded_at: datetime | None = None,
) -> LoadResult:
    """Load one export file into the object's raw table, atomically."""
    return load_files(conn, obj, [path], loaded_at=loaded_at)[0]


def load_files(
    conn: duckdb.DuckDBPyConnection,
    obj: ResolvedObject,
    paths: list[Path],
    *,
    loaded_at: datetime | None = None,
) -> list[LoadResult]:
    """Load the new files among `paths` into the object's raw table in one transaction.

    Returns one result per path, in order (skipped for files loaded before).
    """
    formats = {path: file_format(obj, path) for path in paths}
    ensure_raw_table(conn, obj)
    _remove_unsettled(conn, obj)
    seen = conn.execute(
        "select file, file_size, file_mtime, file_sha256 from load_ledger "
        "where source = ? and object = ?", [obj.source, obj.spec.name]).fetchall()
    seen_stats = {(f, size, mtime) for f, size, mtime, _ in seen}
    seen_sizes = {size for _, size, _, _ in seen}
    seen_shas = {sha for *_, sha in seen}
    skipped: set[Path] = set()
    new: list[_NewFile] = []
    with ThreadPoolExecutor(max_workers=1) as hasher:
        for path in paths:
            stat = path.stat()
            if (str(path), stat.st_size, stat.st_mtime) in seen_stats:
                skipped.add(path)
                continue
            # Only a file of a size already loaded can hold content already loaded.
            if stat.st_size in seen_sizes or None in seen_sizes:
                sha: Future | str = file_sha256(path)
                if sha in seen_shas:
                    skipped.add(path)
                    continue
            else:
                sha = hasher.submit(file_sha256, path)
            new.append(_NewFile(path, formats[path], stat.st_size, stat.st_mtime,
                                uuid.uuid4().hex, sha))
        counts = _load_new_files(conn, obj, new, loaded_at) if new else {}
    return [
        LoadResult(obj.source, obj.spec.name, str(p), 0, 0, 0, 0, skipped=True)
        if p in skipped else LoadResult(obj.source, obj.spec.name, str(p), *counts[str(p)])
        for p in paths
    ]


def _load_new_files(conn, obj: ResolvedObject, new: list[_NewFile],
                    loaded_at: datetime | None) -> dict[str, tuple[int, int, int, int]]:
    """Land the files' rows, then settle them, in two transactions.

    Deleting rows in the transaction that appended them makes DuckDB rewrite every row group
    it wrote at commit (measured: the load's cost again), so rows land first, flagged, and a
    second transaction moves the rejects, deletes the duplicates and writes the ledger. Rows
    of a load with no ledger row are unsettled: an interrupted load's leftovers, removed at the
    start of every load (load_files) and whenever settling fails.
    """
    loaded_at = (loaded_at or datetime.now(timezone.utc)).replace(tzinfo=None)
    parse_params = {"timezone": obj.timezone, "loaded_at": loaded_at,
                    **obj.spec.parse_params()}
    structural = {f.load_id: 0 for f in new}
    jsonl = [f for f in new if f.fmt == "jsonl"]
    conn.execute("begin transaction")
    try:
        # All JSON-lines files in one statement: each file's lines are numbered by one thread,
        # and the files are read and parsed side by side.
        if jsonl:
            _jsonl_into_incoming(conn, [(f.load_id, f.path) for f in jsonl])
            sql.run(conn, f"raw/{obj.spec.parse}", parse_params, raw_table=obj.raw_table)
            _drop_incoming(conn)
        for f in new:
            if f.fmt == "jsonl":
                continue
            structural[f.load_id] = _read_into_incoming(conn, obj, f.load_id, f.path, f.fmt)
            sql.run(conn, f"raw/{obj.spec.parse}", parse_params, raw_table=obj.raw_table)
            conn.execute(
                "insert into load_rejects select ?, ?, ?, ?, _row, _field, _reason, _line, ? "
                "from _structural_rejects",
                [f.load_id, obj.source, obj.spec.name, str(f.path), loaded_at])
            _drop_incoming(conn)
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        _drop_incoming(conn)
        raise
    conn.execute("begin transaction")
    try:
        conn.execute(
            "create or replace temp table _load_files (load_id varchar, file varchar, "
            "file_order integer, file_sha256 varchar, file_size bigint, file_mtime double, "
            "structural_rejects bigint)")
        for order, f in enumerate(new):
            sha = f.sha256.result() if isinstance(f.sha256, Future) else f.sha256
            conn.execute("insert into _load_files values (?, ?, ?, ?, ?, ?, ?)",
                         [f.load_id, str(f.path), order, sha, f.size, f.mtime,
                          structural[f.load_id]])
        rows = sql.run(conn, "raw/finish_load",
                       {"source": obj.source, "object": obj.spec.name, "loaded_at": loaded_at},
                       raw_table=obj.raw_table).fetchall()
        for file, rows_read, *_, not_json, not_object in rows:
            _check_json_objects(obj, file, rows_read, not_json, not_object)
        conn.execute("drop table _load_files")
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        _remove_unsettled(conn, obj)
        raise
    return {file: tuple(counts) for file, *counts, _, _ in rows}


def _remove_unsettled(conn, obj: ResolvedObject) -> None:
    sql.run(conn, "raw/remove_unsettled_rows", {"source": obj.source, "object": obj.spec.name},
            raw_table=obj.raw_table)


def _drop_incoming(conn) -> None:
    temps = conn.execute(
        "select table_name, table_type from information_schema.tables "
        "where table_catalog = 'temp' and table_name in ('_incoming', '_structural_rejects', "
        "'_csv_rejects', '_csv_reject_scans', '_incoming_numbered')").fetchall()
    for name, kind in temps:
        conn.execute(f"drop {'view' if kind == 'VIEW' else 'table'} {name}")


def _no_structural_rejects(conn) -> None:
    conn.execute(
        "create temp table _structural_rejects "
        "(_row bigint, _field varchar, _reason varchar, _line varchar)")


def _jsonl_into_incoming(conn, files: list[tuple[str, Path]]) -> None:
    """Make `_incoming(_load_id, _file, _row, _line)`: a view that streams the lines of the
    JSON-lines files (the parse reads each file once).

    Numbering lines (WITH ORDINALITY) keeps a file on one thread; as branches of one UNION ALL
    the files are read on all threads at once. A view cannot take parameters, so the load id
    and the path are quoted as literals.
    """
    branches = [
        f"select {_sql_literal(load_id)} as _load_id, {_sql_literal(str(path))} as _file, "
        f"_row, _line from jsonl_lines({_sql_literal(str(path))})"
        for load_id, path in files
    ]
    conn.execute("create or replace temp view _incoming as " + " union all ".join(branches))


def _read_into_incoming(conn, obj: ResolvedObject, load_id: str, path: Path, fmt: str) -> int:
    """Make `_incoming(_load_id, _file, _row, _line)`: each row of one file with its 1-based
    row number, as JSON text.

    JSON lines are a view that streams the file's lines. CSV and Parquet rows go through a
    temp table. Returns the number of rows DuckDB's CSV reader could not split into the
    header's columns; those are in `_structural_rejects`.
    """
    if fmt == "jsonl":
        _jsonl_into_incoming(conn, [(load_id, path)])
        _no_structural_rejects(conn)
        return 0
    if fmt == "parquet":
        columns = [r[0] for r in conn.execute(
            "describe select * from read_parquet(?)", [str(path)]).fetchall()]
        _check_required(obj, path, columns)
        _reject_reserved(path, columns)
        conn.execute(
            "create temp table _incoming as "
            "select ?::varchar as _load_id, ?::varchar as _file, ordinality::bigint as _row, "
            "json_remove(to_json(src), '$.ordinality')::varchar as _line "
            "from (select * from read_parquet(?) with ordinality) as src",
            [load_id, str(path), str(path)],
        )
        _no_structural_rejects(conn)
        return 0
    return _read_csv(conn, obj, load_id, path)


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_csv_header(obj: ResolvedObject, path: Path) -> tuple[list[str], str]:
    """The header's column names and the delimiter, read from the file's first record.

    Known exports get their columns pinned from the header instead of DuckDB's sniffer, which
    a few malformed rows can mislead into seeing a one-column file.
    """
    encoding = "utf-8-sig" if obj.encoding.lower() in ("utf-8", "utf8") else obj.encoding
    try:
        with path.open("r", encoding=encoding, newline="") as fh:
            first = fh.readline()
    except (UnicodeDecodeError, LookupError) as exc:
        raise ExportFileError(f"{path}: cannot read as {obj.encoding} text: {exc}") from None
    if not first.strip():
        raise ExportFileError(f"{path}: empty file, expected a CSV header row")
    delimiter = obj.delimiter
    if delimiter is None:
        counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
        delimiter = max(counts, key=counts.get)
    columns = next(csv.reader([first], delimiter=delimiter))
    return [c.strip() for c in columns], delimiter


def _read_csv(conn, obj: ResolvedObject, load_id: str, path: Path) -> int:
    columns, delimiter = read_csv_header(obj, path)
    _check_required(obj, path, columns)
    _reject_reserved(path, columns)
    if len(set(columns)) != len(columns):
        dupes = sorted({c for c in columns if columns.count(c) > 1})
        raise ExportFileError(f"{path}: duplicate column name(s) {dupes} in the header")
    # Options are built from the file's own header and validated config, each quoted as a
    # literal; the path travels as a bound parameter.
    column_types = "{" + ", ".join(f"{_sql_literal(c)}: 'VARCHAR'" for c in columns) + "}"
    encoding = "utf-8" if obj.encoding.lower() in ("utf-8", "utf8", "utf-8-sig") else obj.encoding
    options = (
        f"header = true, auto_detect = false, delim = {_sql_literal(delimiter)}, "
        f"quote = '\"', escape = '\"', columns = {column_types}, "
        f"encoding = {_sql_literal(encoding)}, "
        f"store_rejects = true, rejects_table = '_csv_rejects', "
        f"rejects_scan = '_csv_reject_scans'"
    )
    try:
        conn.execute(
            f"create temp table _incoming as "
            f"select ordinality::bigint as _good_ordinal, to_json(src)::varchar as _line "
            f"from (select * from read_csv(?, {options}) with ordinality) as src",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise ExportFileError(f"{path}: not a readable CSV file: {exc}") from None
    sql.run(conn, "raw/number_csv_rows", {"load_id": load_id, "file": str(path)})
    return conn.execute("select count(*) from _structural_rejects").fetchall()[0][0]


def _reject_reserved(path: Path, columns: list[str]) -> None:
    if "ordinality" in columns:
        raise ExportFileError(f"{path}: a column named 'ordinality' is reserved; rename it")


def _check_required(obj: ResolvedObject, path: Path, columns: list[str]) -> None:
    missing = [c for c in obj.spec.required_columns if c not in columns]
    if missing:
        raise ExportFileError(
            f"{path}: missing required column(s) {', '.join(repr(c) for c in missing)} for "
            f"{obj.source}.{obj.spec.name}; found {', '.join(repr(c) for c in columns)}")


def _check_json_objects(obj: ResolvedObject, file: str, rows_read: int, not_json: int,
                        not_object: int) -> None:
    """A JSON-lines file whose rows parse but none is an object is in the wrong format."""
    valid = rows_read - not_json
    if valid and valid == not_object:
        raise ExportFileError(
            f"{file}: no line is a JSON object; {obj.source}.{obj.spec.name} expects one JSON "
            f"object per line")


def event_weeks_in_file(obj: ResolvedObject, path: Path) -> list:
    """The Mondays (UTC) of the weeks the file's valid rows fall in, parsed exactly as a load
    would parse them, in a throwaway in-memory database (nothing is loaded)."""
    conn = duckdb.connect()
    try:
        conn.execute("set TimeZone = 'UTC'")
        ensure_load_tables(conn)
        ensure_raw_table(conn, obj)
        _read_into_incoming(conn, obj, "scan", path, file_format(obj, path))
        sql.run(conn, f"raw/{obj.spec.parse}",
                {"timezone": obj.timezone, "loaded_at": datetime(2000, 1, 1),
                 **obj.spec.parse_params()},
                raw_table=obj.raw_table)
        return [r[0] for r in conn.execute(
            f"select distinct week_of(_occurred_at) from {obj.raw_table} "
            "where _reject_reason is null and _occurred_at is not null order by 1").fetchall()]
    finally:
        conn.close()
