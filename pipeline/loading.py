"""Load export files into lossless raw tables, with rejects and an exact row-count ledger.

One file is one transaction: it is read by DuckDB into a staging temp table with its row numbers,
parsed and validated by the object's `sql/raw/parse_<kind>__<object>.sql`, and then
- rows that fail validation go to `load_rejects` with file, row, field and reason;
- rows whose natural key is already loaded (earlier in this file or in an earlier load) are
  counted as duplicates;
- the rest go to `raw_<source>__<object>` with `_file`, `_row`, `_load_id` and `_loaded_at`.
`load_ledger` records rows_read = rows_loaded + rows_rejected + rows_duplicate for every file.
A file already loaded (same content hash) is skipped, so loading it again adds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipeline import sql
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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
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


def load_file(
    conn: duckdb.DuckDBPyConnection,
    obj: ResolvedObject,
    path: Path,
    *,
    loaded_at: datetime | None = None,
) -> LoadResult:
    """Load one export file into the object's raw table, atomically."""
    fmt = file_format(obj, path)
    sha = file_sha256(path)
    already = conn.execute(
        "select count(*) from load_ledger where source = ? and object = ? and file_sha256 = ?",
        [obj.source, obj.spec.name, sha],
    ).fetchall()[0][0]
    if already:
        return LoadResult(obj.source, obj.spec.name, str(path), 0, 0, 0, 0, skipped=True)

    loaded_at = (loaded_at or datetime.now(timezone.utc)).replace(tzinfo=None)
    load_id = uuid.uuid4().hex
    ensure_raw_table(conn, obj)
    conn.execute("begin transaction")
    try:
        structural_rejects = _read_into_incoming(conn, obj, path, fmt)
        sql.run(conn, f"raw/{obj.spec.parse}",
                {"timezone": obj.timezone, **obj.spec.parse_params()})
        counts = sql.run(
            conn, "raw/insert_loaded_rows",
            {"load_id": load_id, "file": str(path), "file_sha256": sha, "loaded_at": loaded_at,
             "source": obj.source, "object": obj.spec.name,
             "structural_rejects": structural_rejects},
            raw_table=obj.raw_table,
        ).fetchall()[0]
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    finally:
        for temp in ("_incoming", "_parsed", "_structural_rejects", "_csv_rejects",
                     "_csv_reject_scans", "_classified", "_incoming_numbered"):
            conn.execute(f"drop table if exists {temp}")
    rows_read, rows_loaded, rows_rejected, rows_duplicate = counts
    return LoadResult(obj.source, obj.spec.name, str(path), rows_read, rows_loaded,
                      rows_rejected, rows_duplicate)


def _no_structural_rejects(conn) -> None:
    conn.execute(
        "create temp table _structural_rejects "
        "(_row bigint, _field varchar, _reason varchar, _line varchar)")


def _read_into_incoming(conn, obj: ResolvedObject, path: Path, fmt: str) -> int:
    """Create temp table `_incoming(_row, _line)`; `_line` is the row as JSON text.

    Returns the number of rows DuckDB's CSV reader could not split into the header's columns;
    those are already in `_csv_rejects` and are added to `load_rejects` with the parsed rejects.
    """
    if fmt == "jsonl":
        # Read lines as text, not as JSON: a bad line keeps its text and its line number, and
        # blank lines (not rows) still count toward the numbering. \x01 cannot occur unescaped
        # in valid JSON, so every line is one column.
        conn.execute(
            "create temp table _incoming as "
            "select ordinality::bigint as _row, "
            "case when json_valid(line) then line end as _line, line as _text "
            "from read_csv(?, columns = {'line': 'VARCHAR'}, header = false, delim = '\x01', "
            "quote = '', escape = '', auto_detect = false, strict_mode = false) "
            "with ordinality "
            "where trim(line) <> ''",
            [str(path)],
        )
        _check_json_required(conn, obj, path)
        _no_structural_rejects(conn)
        return 0
    if fmt == "parquet":
        columns = [r[0] for r in conn.execute(
            "describe select * from read_parquet(?)", [str(path)]).fetchall()]
        _check_required(obj, path, columns)
        _reject_reserved(path, columns)
        conn.execute(
            "create temp table _incoming as "
            "select ordinality::bigint as _row, "
            "json_remove(to_json(src), '$.ordinality')::varchar as _line, "
            "null::varchar as _text "
            "from (select * from read_parquet(?) with ordinality) as src",
            [str(path)],
        )
        _no_structural_rejects(conn)
        return 0
    return _read_csv(conn, obj, path)


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


def _read_csv(conn, obj: ResolvedObject, path: Path) -> int:
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
    sql.run(conn, "raw/number_csv_rows")
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


def _check_json_required(conn, obj: ResolvedObject, path: Path) -> None:
    """A JSON-lines file whose rows are not objects at all is in the wrong format."""
    valid, objects = conn.execute(
        "select count(_line), count(*) filter (where json_type(_line::json) = 'OBJECT') "
        "from _incoming").fetchall()[0]
    if valid and not objects:
        raise ExportFileError(
            f"{path}: no line is a JSON object; {obj.source}.{obj.spec.name} expects one JSON "
            f"object per line")
