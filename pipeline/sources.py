"""The sources config: which export files belong to which source object, and how to read them.

The registry below fixes what each vendor's export looks like (format, default file names,
required columns). `sources.yaml` only says where the files are and what a file cannot say about
itself (its time zone, encoding, delimiter). See docs/exports.md.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from pipeline.config_errors import (
    ConfigError,
    allowed_keys_at,
    describe_errors,
    load_yaml_with_lines,
)
from pipeline.identity_rules import IdentityRules

Format = Literal["csv", "jsonl", "parquet"]
FORMAT_BY_SUFFIX = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl",
                    ".parquet": "parquet"}


TimeKind = Literal["epoch_s", "epoch_ms", "local"]


@dataclass(frozen=True)
class ObjectSpec:
    """One kind of export file of a vendor: formats, default names, columns, key and time.

    `parse` names the SQL in sql/raw/ that validates rows: `parse_record` (driven by the fields
    below) or a vendor-specific `parse_<kind>__<object>`.
    """

    name: str
    formats: tuple[str, ...]
    default_files: tuple[str, ...]
    #: Columns a CSV or Parquet file must have (checked per file, before any row is read).
    required_columns: tuple[str, ...] = ()
    #: Natural key; rows of a key seen before are duplicates.
    key: tuple[str, ...] = ()
    #: With no key value, the key is a hash of the whole row.
    row_hash_key: bool = False
    #: Values every row must have (the key and the time are always required).
    required_values: tuple[str, ...] = ()
    time_field: str | None = None
    time_kind: TimeKind = "local"
    parse: str = "parse_record"

    def parse_params(self) -> dict:
        required = tuple(dict.fromkeys(
            self.required_values + (() if self.row_hash_key else self.key)
            + ((self.time_field,) if self.time_field else ())))
        return {
            "key_paths": [_pointer(k) for k in self.key],
            "key_names": list(self.key),
            "row_hash_key": self.row_hash_key,
            "required_paths": [_pointer(r) for r in required],
            "required_names": list(required),
            "time_path": _pointer(self.time_field) if self.time_field else None,
            "time_kind": self.time_kind,
        }


def _pointer(field_name: str) -> str:
    """A JSON pointer to a top-level key (RFC 6901 escaping), safe for names with spaces."""
    return "/" + field_name.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class KindSpec:
    category: str
    objects: tuple[ObjectSpec, ...] = field(default_factory=tuple)


def _zendesk(name: str, key: tuple[str, ...]) -> ObjectSpec:
    return ObjectSpec(name, ("jsonl",), (f"{name}*.jsonl", f"{name}*.json"), key=key,
                      time_field="created_at")


def _hubspot_log(name: str, files: str, key: tuple[str, ...], time_field: str,
                 columns: tuple[str, ...]) -> ObjectSpec:
    return ObjectSpec(name, ("csv",), (files,), required_columns=columns, key=key,
                      time_field=time_field, time_kind="epoch_ms")


KINDS: dict[str, KindSpec] = {
    "hubspot": KindSpec("crm", (
        ObjectSpec("contacts", ("csv",), ("contacts*.csv",),
                   required_columns=("Record ID", "Email", "Create Date", "Last Modified Date"),
                   key=("Record ID", "Last Modified Date"), time_field="Create Date"),
        ObjectSpec("deals", ("csv",), ("deals*.csv",),
                   required_columns=("Record ID", "Deal Stage", "Create Date",
                                     "Last Modified Date"),
                   key=("Record ID", "Last Modified Date"), time_field="Create Date"),
        _hubspot_log("deal_property_history", "deal_property_history*.csv",
                     ("deal_id", "name", "timestamp"), "timestamp",
                     ("deal_id", "name", "value", "timestamp")),
        _hubspot_log("contact_property_history", "contact_property_history*.csv",
                     ("contact_id", "name", "timestamp"), "timestamp",
                     ("contact_id", "name", "value", "timestamp")),
        _hubspot_log("list_memberships", "list_membership*.csv",
                     ("contact_id", "list_id", "change", "timestamp"), "timestamp",
                     ("contact_id", "list_id", "change", "timestamp")),
        _hubspot_log("workflow_enrollments", "workflow_enrollment*.csv",
                     ("contact_id", "workflow_id", "enrolled_at"), "enrolled_at",
                     ("contact_id", "workflow_id", "enrolled_at")),
    )),
    "sendgrid": KindSpec("email", (
        ObjectSpec("events", ("jsonl",), ("*.jsonl", "*.json", "*.ndjson"),
                   parse="parse_sendgrid__events"),
    )),
    "segment": KindSpec("web", (
        ObjectSpec("events", ("jsonl",), ("*.jsonl", "*.json", "*.ndjson"),
                   parse="parse_segment__events"),
    )),
    "zendesk": KindSpec("support", (
        _zendesk("users", ("id", "updated_at")),
        _zendesk("tickets", ("id", "updated_at")),
        _zendesk("ticket_comments", ("id",)),
        _zendesk("ticket_metrics", ("id", "updated_at")),
        _zendesk("satisfaction_ratings", ("id", "updated_at")),
    )),
    "surveys": KindSpec("survey", (
        ObjectSpec("responses", ("csv",), ("*.csv",),
                   required_columns=("Response ID", "Survey", "Email", "Submitted At", "Score"),
                   key=("Response ID",), time_field="Submitted At"),
    )),
    "generic": KindSpec("other", (
        ObjectSpec("events", ("csv", "jsonl", "parquet"),
                   ("events*.csv", "events*.jsonl", "events*.json", "events*.parquet"),
                   required_columns=("person_id", "event", "timestamp"),
                   key=("event_id",), row_hash_key=True,
                   required_values=("person_id", "event"), time_field="timestamp"),
        ObjectSpec("persons", ("csv", "jsonl", "parquet"),
                   ("persons*.csv", "persons*.jsonl", "persons*.json", "persons*.parquet"),
                   required_columns=("person_id",), row_hash_key=True,
                   required_values=("person_id",)),
    )),
}

_NAME = re.compile(r"[a-z][a-z0-9_]*")


class ObjectConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    files: list[str] | None = None
    timezone: str | None = None
    encoding: str = "utf-8"
    delimiter: str | None = None
    enabled: bool = True

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value):
        return _check_zone(value)


class SourceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["hubspot", "sendgrid", "segment", "zendesk", "surveys", "generic"] | None = None
    folder: str | None = None
    timezone: str = "UTC"
    enabled: bool = True
    objects: dict[str, ObjectConfig] = {}
    # Generic sources only: what the person id is, and the prefix of canonical event types.
    person_id_type: str = "user_id"
    event_type_prefix: str = "generic"
    category: str = "other"
    channel: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value):
        return _check_zone(value)


class SourcesConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: dict[str, SourceConfig]
    ignore: list[str] = ["truth/**", "README*"]
    identity: IdentityRules = IdentityRules()

    @model_validator(mode="after")
    def _consistent(self):
        for name, src in self.sources.items():
            if not _NAME.fullmatch(name):
                raise ValueError(f"source name '{name}' must be lower case letters, digits and _")
            kind = src.kind or name
            if kind not in KINDS:
                raise ValueError(
                    f"source '{name}' has no kind; set kind: to one of {', '.join(KINDS)}")
            if kind != "generic" and kind != name:
                raise ValueError(f"a {kind} source must be named '{kind}', not '{name}'")
            known = {o.name for o in KINDS[kind].objects}
            for obj in src.objects:
                if obj not in known:
                    raise ValueError(
                        f"source '{name}' has no object '{obj}'; {kind} objects are "
                        f"{', '.join(sorted(known))}")
        return self


def _check_zone(value):
    if value is None:
        return value
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{value}' (use an IANA name like Europe/Paris)")
    return value


@dataclass(frozen=True)
class ResolvedObject:
    """A source object with its settings resolved: what the loader needs to read its files."""

    source: str
    kind: str
    category: str
    spec: ObjectSpec
    folder: Path
    files: tuple[str, ...]
    timezone: str
    encoding: str
    delimiter: str | None
    source_config: SourceConfig

    @property
    def raw_table(self) -> str:
        return f"raw_{self.source}__{self.spec.name}"

    def find_files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        found = {p for pattern in self.files for p in self.folder.glob(pattern) if p.is_file()}
        return sorted(found)


def load_sources_config(path: Path) -> SourcesConfig:
    """Read and validate the sources file; every problem is reported with its line."""
    data, lines = load_yaml_with_lines(path)
    if data is None:
        data = {}
    try:
        return SourcesConfig.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        allowed = {tuple(e["loc"][:-1]): allowed_keys_at(SourcesConfig, tuple(e["loc"][:-1]))
                   for e in errors if e["type"] == "extra_forbid" or e["type"] == "extra_forbidden"}
        raise ConfigError(path, describe_errors(path, errors, lines, allowed)) from None


def default_sources_config() -> SourcesConfig:
    return SourcesConfig(sources={k: SourceConfig() for k in KINDS})


def resolve(config: SourcesConfig, exports_dir: Path) -> list[ResolvedObject]:
    """Every enabled source object, with its folder and file patterns under `exports_dir`."""
    resolved = []
    for name, src in config.sources.items():
        if not src.enabled:
            continue
        kind = src.kind or name
        folder = exports_dir / (src.folder or name)
        for spec in KINDS[kind].objects:
            obj_cfg = src.objects.get(spec.name, ObjectConfig())
            if not obj_cfg.enabled:
                continue
            resolved.append(ResolvedObject(
                source=name,
                kind=kind,
                category=src.category if kind == "generic" else KINDS[kind].category,
                spec=spec,
                folder=folder,
                files=tuple(obj_cfg.files or spec.default_files),
                timezone=obj_cfg.timezone or src.timezone,
                encoding=obj_cfg.encoding,
                delimiter=obj_cfg.delimiter,
                source_config=src,
            ))
    return resolved


def unclaimed_files(config: SourcesConfig, objects: list[ResolvedObject],
                    exports_dir: Path) -> list[Path]:
    """Files in the exports folder that no source object claims and `ignore` does not name.

    They are reported in the load's metadata, so a misnamed export is noticed, not skipped.
    """
    if not exports_dir.is_dir():
        return []
    claimed = {p for obj in objects for p in obj.find_files()}
    unclaimed = []
    for path in sorted(p for p in exports_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(exports_dir).as_posix()
        if path in claimed or path.name.startswith("."):
            continue
        if any(fnmatch.fnmatch(rel, pattern) for pattern in config.ignore):
            continue
        unclaimed.append(path)
    return unclaimed
