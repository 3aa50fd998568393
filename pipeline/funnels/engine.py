"""Run a funnel over an events relation in DuckDB: encode and sort in SQL, walk attempts in the
compiled kernel, aggregate counts, rates and times back in SQL.

The events relation has `person_id`, `event`, `timestamp` (TIMESTAMP, UTC) and any other
columns as properties (or a `properties` JSON column). Ties on `timestamp` are broken by the
`tiebreak` expression (default: the relation's row order), so results are deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.funnels import kernel
from pipeline.funnels.dense_sort import dense_range, walk_by_person
from pipeline.funnels.matching import EventsError, SpecFieldError, compile_spec, quote
from pipeline.funnels.spec import FunnelSpec
from pipeline.funnels.unit_steps import unit_steps

REQUIRED_COLUMNS = ("person_id", "event", "timestamp")
# Types that fit int64 exactly, for the counting sort's person keys and tie-breaks.
_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}


@dataclass
class Evaluation:
    """Per-unit results, registered on the connection as `fn_units` and `fn_unit_steps`.

    fn_units(unit, person_id, bucket VARCHAR[] or NULL, furthest, excluded)
    fn_unit_steps(unit, step, reached, reached_previous, reached_at TIMESTAMP, seconds DOUBLE),
    one row per step a unit reached or stopped at (reached the step before, not this one).
    """

    spec: FunnelSpec
    units: int


def columns_of(conn: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return list(column_types(conn, relation))


def column_types(conn: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {d[0]: str(d[1]) for d in conn.execute(f"select * from {relation} limit 0").description}


def _require_person_and_time(null_persons: int, null_times: int) -> None:
    """Every event a funnel reads needs a person and a time: without them it belongs to nobody
    or nowhere in the order, and counting it anyway would credit it to someone else."""
    problems = [f"{n} with no {what}" for n, what in ((null_persons, "person_id"),
                                                      (null_times, "timestamp")) if n]
    if problems:
        raise EventsError(f"the funnel's events include rows {' and '.join(problems)}: give "
                          f"every event a person and a time, or filter those rows out")


def evaluate(conn: duckdb.DuckDBPyConnection, relation: str, spec: FunnelSpec,
             persons: str | None = None, tiebreak: str | None = None) -> Evaluation:
    """Run the funnel; leaves `fn_units` and `fn_unit_steps` on the connection."""
    types = column_types(conn, relation)
    columns = list(types)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise SpecFieldError(f"the events have no column {', '.join(missing)} "
                             f"(they have {', '.join(columns)})")
    compiled = compile_spec(spec, columns, text_events=types["event"] == "VARCHAR")
    bd = spec.breakdown
    bvalue = compiled.breakdown or "null::varchar[]"
    person_join = ""
    if bd is not None and bd.source == "person":
        if persons is None:
            raise SpecFieldError("breakdown.source: 'person' needs a persons file (--persons)")
        pcols = columns_of(conn, persons)
        if "person_id" not in pcols:
            raise SpecFieldError(f"the persons have no column person_id (they have "
                                 f"{', '.join(pcols)})")
        for i, p in enumerate(bd.properties):
            if p not in pcols:
                raise SpecFieldError(f"breakdown.properties.{i}: the persons have no property "
                                     f"'{p}' (they have {', '.join(pcols)})")
        bvalue = "[" + ", ".join(f"coalesce(cast(p.{quote(x)} as varchar), '')"
                                 for x in bd.properties) + "]"
        person_join = f"left join (select distinct on (person_id) * from {persons}) p " \
                      f"on p.person_id::varchar = e.person_id::varchar"
    keep = "true" if spec.order == "strict" else "(step_mask <> 0 or excl_mask <> 0)"
    params = dict(compiled.params)
    names = [s.event for s in spec.steps] + [x.event for x in spec.exclusions]
    prefilter = "true"
    if spec.order != "strict" and compiled.event_position is not None:
        # Only events named by a step or an exclusion can matter: drop the rest while reading.
        prefilter = "fn_event_position > 0"
    elif spec.order != "strict" and None not in names:
        params["fn_event_names"] = sorted(set(names))
        prefilter = "list_contains($fn_event_names::varchar[], event)"
    encoded = f"""
        with positioned as (
            select *, {compiled.event_position or 'null'} as fn_event_position from {relation}
        ),
        source as (
            select *, {tiebreak or 'row_number() over ()'} as fn_tiebreak from positioned
            where {prefilter}
        ),
        encoded as (
            select
                e.person_id,
                epoch_us(e.timestamp) as ts,
                e.fn_tiebreak as tiebreak,
                -- At most 30 steps: 32-bit masks keep the sorted rows and the arrays narrow.
                ({compiled.step_mask})::integer as step_mask,
                ({compiled.exclusion_mask})::integer as excl_mask,
                {bvalue} as bvalue
            from source e
            {person_join}
            where {compiled.filters}
        )
        select * from encoded where {keep}
    """
    walk = _walk_of(spec)
    if bd is None:
        (furthest, excluded, times, path), unit_keys = _walk_persons(
            conn, encoded, params, bool(spec.exclusions), walk)
    else:
        conn.execute(f"create or replace temp table fn_events as {encoded}", params)
        _require_person_and_time(*conn.execute(
            "select count(*) filter (where person_id is null), "
            "count(*) filter (where ts is null) from fn_events").fetchone())
        conn.execute(_units_sql(spec))
        arrays = conn.execute("""
            select u.unit, e.ts, e.step_mask, e.excl_mask,
                   coalesce(e.bvalue = u.bucket, true) as attr_ok
            from fn_events e
            join fn_units_keys u on u.person_id = e.person_id
                and (u.event_bucket_only = false or e.bvalue = u.bucket)
            order by u.unit, e.ts, e.tiebreak
        """).fetchnumpy()
        n_units = conn.execute("select count(*) from fn_units_keys").fetchall()[0][0]
        unit = np.asarray(arrays["unit"], dtype=np.int64)
        starts = np.searchsorted(unit, np.arange(n_units + 1)).astype(np.int64)
        furthest, excluded, times, path = walk.run(
            starts, np.asarray(arrays["ts"], dtype=np.int64),
            np.asarray(arrays["step_mask"], dtype=np.int32),
            np.asarray(arrays["excl_mask"], dtype=np.int32),
            np.asarray(arrays["attr_ok"], dtype=np.bool_))
        unit_keys = None
    _register_results(conn, spec, furthest, excluded, times, path, unit_keys)
    return Evaluation(spec=spec, units=len(furthest))


def _walk_of(spec: FunnelSpec) -> kernel.Walk:
    bd = spec.breakdown
    return kernel.Walk(
        n=len(spec.steps),
        unordered=spec.order == "unordered",
        strict=spec.order == "strict",
        optional=sum(1 << i for i, s in enumerate(spec.steps) if s.optional),
        window=spec.window_seconds * 1_000_000,
        step_window=np.array([-1 if s.window is None else s.window_seconds * 1_000_000
                              for s in spec.steps], dtype=np.int64),
        bounded=np.array([s.within_funnel_window for s in spec.steps], dtype=np.bool_),
        bstep=bd.step if bd is not None and bd.attribution == "step" else -1)


def _walk_persons(conn, encoded: str, params: dict, exclusions: bool,
                  walk: kernel.Walk) -> tuple[tuple, pa.Array]:
    """Without a breakdown a unit is a person. The events are read and encoded in one statement
    (nothing is materialised), put in (person, ts, tiebreak) order and walked: by a counting
    sort that walks each person as soon as their events are in order, when person ids are
    integers in a dense range (`dense_sort.py`), else by DuckDB's sort and then the kernel,
    where each person's first event is found by comparing neighbouring ids (vectorised in
    Arrow, any type).

    Returns the kernel's outputs per person and each person's id."""
    # Without exclusions every mask is 0: not worth reading 4 bytes per event for.
    masks = ["step_mask"] + (["excl_mask"] if exclusions else [])
    events = conn.sql(f"select person_id, ts, tiebreak, {', '.join(masks)} from ({encoded})",
                      params=params)
    if {str(events.types[0]), str(events.types[2])} <= _INTEGER_TYPES:
        table = events.to_arrow_table()
        _require_person_and_time(table.column("person_id").null_count,
                                 table.column("ts").null_count)
        ids = table.column("person_id")
        # A counting sort needs every key present: a null tie-break (DuckDB sorts those last)
        # leaves the table to DuckDB's sort.
        dense = dense_range(ids) if table.column("tiebreak").null_count == 0 else None
        if dense is not None:
            persons, *results = walk_by_person(table, *dense, walk)
            return tuple(results), pa.array(persons).cast(ids.type)
        conn.register("fn_unsorted_events", table)
        events = conn.sql("select * from fn_unsorted_events")
    table = events.order("person_id, ts, tiebreak").select(
        f"person_id, ts, {', '.join(masks)}").to_arrow_table()
    _require_person_and_time(table.column("person_id").null_count, table.column("ts").null_count)
    ids = table.column("person_id").combine_chunks()
    rows = len(ids)
    if rows:
        change = pc.not_equal(ids.slice(1), ids.slice(0, rows - 1))
        starts = np.r_[0, np.flatnonzero(change.to_numpy(zero_copy_only=False)) + 1, rows]
    else:
        starts = np.zeros(1, dtype=np.int64)
    unit_keys = ids.take(pa.array(starts[:-1], type=pa.int64()))
    excl_mask = (table.column("excl_mask").to_numpy() if exclusions
                 else np.zeros(rows, np.int32))
    results = walk.run(starts.astype(np.int64), table.column("ts").to_numpy(),
                       table.column("step_mask").to_numpy(), excl_mask,
                       np.ones(rows, dtype=np.bool_))
    return results, unit_keys


def _units_sql(spec: FunnelSpec) -> str:
    """The units the kernel evaluates with a breakdown: (person, breakdown value) pairs.

    `event_bucket_only`: the unit sees only events carrying its value (all_events attribution).
    """
    bd = spec.breakdown
    if bd.source == "person" or bd.attribution in ("first_touch", "last_touch"):
        pick = "arg_min" if bd.attribution != "last_touch" else "arg_max"
        buckets = f"""
            select person_id,
                coalesce({pick}(bvalue, (ts, tiebreak)) filter (
                    where step_mask <> 0 and array_to_string(bvalue, '') <> ''),
                    list_transform(any_value(bvalue), lambda x: '')) as bucket,
                false as event_bucket_only
            from fn_events group by person_id"""
    elif bd.attribution == "all_events":
        buckets = "select distinct person_id, bvalue as bucket, true as event_bucket_only " \
                  "from fn_events"
    else:  # step N: one unit per value the person's step-N events carry ('' if none)
        buckets = f"""
            select person_id, unnest(coalesce(
                nullif(list_distinct(list(bvalue) filter (where (step_mask >> {bd.step}) & 1 = 1)), []),
                [list_transform(any_value(bvalue), lambda x: '')])) as bucket,
                false as event_bucket_only
            from fn_events group by person_id"""
    return f"""
        create or replace temp table fn_units_keys as
        select row_number() over (order by person_id, bucket) - 1 as unit, *
        from ({buckets})
    """


def _register_results(conn, spec: FunnelSpec, furthest, excluded, times, path,
                      unit_keys: pa.Array | None) -> None:
    """Register `fn_units` and `fn_unit_steps` as views over the kernel's arrays (no copies).

    `unit_keys`: each unit's person id (no breakdown); with a breakdown the units' persons and
    buckets are in the `fn_units_keys` table.
    """
    n = len(spec.steps)
    units = furthest.shape[0]
    optional = np.array([s.optional for s in spec.steps])
    # Time into a step is measured from the nearest earlier mandatory step on the path.
    prev = np.array([max([-1] + [k for k in range(s) if not optional[k]]) for s in range(n)])
    unit, step, reached, reached_previous, reached_at, has_time, seconds, has_seconds = \
        unit_steps(furthest, times, path, optional, prev)
    results = {"unit": np.arange(units, dtype=np.int64),
               "furthest": furthest.astype(np.int16), "excluded": excluded}
    if unit_keys is not None:
        results["person_id"] = unit_keys
    conn.register("fn_unit_results", pa.table(results))
    keys = ("fn_unit_results k" if unit_keys is not None
            else "fn_units_keys k join fn_unit_results r using (unit)")
    conn.execute(f"""
        create or replace temp view fn_units as
        select unit, k.person_id::varchar as person_id,
               {"null::varchar[]" if unit_keys is not None else "k.bucket"} as bucket,
               furthest, excluded
        from {keys}
    """)
    # Registered, not copied: the long per-step table is read straight from these arrays.
    conn.register("fn_unit_steps", pa.table({
        "unit": unit,
        "step": step,
        "reached": reached,
        "reached_previous": reached_previous,
        "reached_at": _with_validity(pa.timestamp("us"), reached_at, has_time),
        "seconds": _with_validity(pa.float64(), seconds, has_seconds),
    }))


def _with_validity(arrow_type: pa.DataType, values: np.ndarray, valid: np.ndarray) -> pa.Array:
    """An Arrow array over `values` (no copy) that is null where `valid` is False."""
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(arrow_type, len(values), [bitmap, pa.py_buffer(values)])


def summarize(conn: duckdb.DuckDBPyConnection, spec: FunnelSpec, people: bool = False,
              by_bucket: bool = False) -> list[dict]:
    """Steps (one list per bucket when `by_bucket`) from the last `evaluate` on `conn`."""
    names = spec.step_names
    rows = conn.execute(f"""
        with step_rows as (
            select {"u.bucket" if by_bucket else "null::varchar[] as bucket"}, s.step,
                count(*) filter (where s.reached) as count,
                avg(s.seconds) filter (where s.reached) as average_seconds,
                median(s.seconds) filter (where s.reached) as median_seconds,
                {"list(u.person_id order by u.person_id) filter (where s.reached)" if people else "null"} as people,
                {"list(u.person_id order by u.person_id) filter (where s.reached_previous and not s.reached)" if people else "null"} as dropped_people
            from fn_unit_steps s {"join fn_units u using (unit)" if by_bucket or people else ""}
            group by {"u.bucket, " if by_bucket else ""} s.step
        ),
        -- fn_unit_steps has no row for a step nobody reached or stopped at (nor any row when
        -- nobody entered): every step of every group of units is still listed, with count 0.
        all_steps as (
            select {"u.bucket" if by_bucket else "null::varchar[] as bucket"}, g.step
            from {"(select distinct bucket from fn_units) u cross join " if by_bucket else ""}
                range({len(names)}) g(step)
        ),
        per_step as (
            select a.bucket, a.step, coalesce(r.count, 0) as count, r.average_seconds,
                r.median_seconds, r.people, r.dropped_people
            from all_steps a
            left join step_rows r on r.bucket is not distinct from a.bucket and r.step = a.step
        ),
        excluded as (
            select {"bucket, " if by_bucket else ""}count(*) filter (where excluded) as excluded
            from fn_units {"group by bucket" if by_bucket else ""}
        )
        select {"p.bucket" if by_bucket else "null"} as bucket, p.step, p.count,
            p.count / nullif(first_value(p.count) over w, 0) as conversion_from_start,
            case when p.step = 0 then null
                 else p.count / nullif(lag(p.count) over w, 0) end as conversion_from_previous,
            p.average_seconds, p.median_seconds, p.people, p.dropped_people, x.excluded
        from per_step p
        {"join excluded x on x.bucket is not distinct from p.bucket" if by_bucket else "cross join excluded x"}
        window w as ({"partition by p.bucket " if by_bucket else ""}order by p.step)
        order by {"p.bucket, " if by_bucket else ""}p.step
    """).fetchall()
    groups: dict = {}
    for bucket, step, count, c_start, c_prev, avg_s, med_s, ppl, dropped, excl in rows:
        key = tuple(bucket) if bucket is not None else None
        g = groups.setdefault(key, {"value": list(bucket) if bucket is not None else None,
                                    "excluded": excl, "steps": []})
        entry = {
            "name": names[step], "step": step, "count": count,
            "conversion_from_start": c_start,
            "conversion_from_previous": None if step == 0 and count == 0 else c_prev,
            "average_seconds": None if step == 0 else avg_s,
            "median_seconds": None if step == 0 else med_s,
        }
        if step == 0:
            entry["conversion_from_previous"] = 1.0 if count else None
        if people:
            entry["people"] = list(ppl or [])
            entry["dropped_people"] = list(dropped or [])
        g["steps"].append(entry)
    # A bucket nobody entered (e.g. all_events: a value only later steps carry) is not shown.
    out = [g for g in groups.values() if not by_bucket or g["steps"][0]["count"] > 0]
    out.sort(key=lambda g: (-g["steps"][0]["count"], g["value"] or []))
    return out


def empty_steps(spec: FunnelSpec, people: bool) -> list[dict]:
    steps = []
    for i, name in enumerate(spec.step_names):
        entry = {"name": name, "step": i, "count": 0, "conversion_from_start": None,
                 "conversion_from_previous": None, "average_seconds": None,
                 "median_seconds": None}
        if people:
            entry |= {"people": [], "dropped_people": []}
        steps.append(entry)
    return steps


def run_funnel(conn: duckdb.DuckDBPyConnection, relation: str, spec: FunnelSpec,
               persons: str | None = None, people: bool = False,
               tiebreak: str | None = None) -> dict:
    """The funnel as the JSON the `journeys funnel` command prints."""
    overall_spec = spec.model_copy(update={"breakdown": None})
    ev = evaluate(conn, relation, overall_spec, persons, tiebreak)
    groups = summarize(conn, overall_spec, people) if ev.units else []
    result = {
        "order": spec.order,
        "window_seconds": spec.window_seconds,
        "steps": groups[0]["steps"] if groups else empty_steps(spec, people),
        "excluded": groups[0]["excluded"] if groups else 0,
    }
    if spec.breakdown is not None:
        ev = evaluate(conn, relation, spec, persons, tiebreak)
        groups = summarize(conn, spec, people, by_bucket=True) if ev.units else []
        result["breakdown"] = spec.breakdown.model_dump(exclude_none=True)
        result["breakdowns"] = [{"value": g["value"], "excluded": g["excluded"],
                                 "steps": g["steps"]} for g in groups]
    return result
