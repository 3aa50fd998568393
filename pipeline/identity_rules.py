"""The identity-stitching rules: what never links, when an identifier is too shared to link, and
which identifier decides an event's customer.

The lead embeds this model under the `identity:` key of the sources config file; every field has a
default, so an empty or missing `identity:` section gives the rules described in docs/identity.md.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

WILDCARD = "*"

ROLE_EMAIL_PATTERN = (
    r"^(info|test|admin|sales|support|hello|contact|office|team|noreply|no-reply|billing)@"
)
TEST_DOMAIN_PATTERN = r"@example\.(com|org|net)$"
PLACEHOLDER_PATTERN = r"^[0-]*$"


def _norm_type(value: str) -> str:
    return value.strip().lower()


class BlockedPattern(BaseModel):
    """A regular expression (RE2, DuckDB `regexp_matches`: a match anywhere unless anchored) tested
    against the normalised identifier value. `identifier_types` limits it to some types; `None`
    applies it to every type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str
    reason: str
    identifier_types: list[str] | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression {value!r}: {exc}") from exc
        return value

    @field_validator("identifier_types")
    @classmethod
    def _types_normalised(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [_norm_type(v) for v in value]


class IdentityRules(BaseModel):
    """Identity-stitching rules. Defaults follow export-formats.md §3 and Segment Unify."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    blocked_values: list[str] = Field(
        default_factory=lambda: [
            "", "null", "none", "unknown", "anonymous", "undefined", "-1",
        ],
        description="Placeholder values, compared case-insensitively with the trimmed value. A "
        "blocked identifier creates no edges and belongs to no customer.",
    )
    blocked_patterns: list[BlockedPattern] = Field(
        default_factory=lambda: [
            BlockedPattern(pattern=PLACEHOLDER_PATTERN, reason="placeholder_pattern"),
            BlockedPattern(
                pattern=ROLE_EMAIL_PATTERN, reason="role_email", identifier_types=["email"]
            ),
            BlockedPattern(
                pattern=TEST_DOMAIN_PATTERN, reason="test_email_domain", identifier_types=["email"]
            ),
        ],
        description="Regular expressions that block a value; the first matching pattern in list "
        "order gives the block reason.",
    )
    hub_limits: dict[str, dict[str, int]] = Field(
        default_factory=lambda: {
            "anonymous_id": {"user_id": 3},
            "email": {"user_id": 2, "hubspot_contact": 3},
            "user_id": {"email": 3},
        },
        description="hub_limits[type][other_type] = N: an identifier of `type` linked to more than "
        "N distinct values of `other_type` is shared, creates no edges and becomes its own "
        "customer.",
    )
    identifier_priority: list[str] = Field(
        default_factory=lambda: ["user_id", "email", WILDCARD, "anonymous_id"],
        description="Which identifier decides an event's customer, best first. `*` stands for "
        "every type not listed (the system person keys); without `*` unlisted types rank last.",
    )
    case_insensitive_types: list[str] = Field(
        default_factory=lambda: ["email", "email_sha256", "email_md5"],
        description="Types whose values are lower-cased (after trimming) before matching.",
    )
    max_iterations: int = Field(
        default=500,
        ge=1,
        description="Safety stop for the connected-components loop; exceeding it is an error.",
    )

    @field_validator("blocked_values")
    @classmethod
    def _values_normalised(cls, value: list[str]) -> list[str]:
        return sorted({v.strip().lower() for v in value})

    @field_validator("identifier_priority", "case_insensitive_types")
    @classmethod
    def _type_list_normalised(cls, value: list[str]) -> list[str]:
        return [_norm_type(v) for v in value]

    @field_validator("hub_limits")
    @classmethod
    def _limits_valid(cls, value: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for type_, others in value.items():
            for other, limit in others.items():
                if limit < 1:
                    raise ValueError(f"hub limit {type_} -> {other} must be at least 1")
                out.setdefault(_norm_type(type_), {})[_norm_type(other)] = int(limit)
        return out

    @model_validator(mode="after")
    def _priority_unique(self) -> "IdentityRules":
        if len(set(self.identifier_priority)) != len(self.identifier_priority):
            raise ValueError("identifier_priority lists a type twice")
        return self

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> "IdentityRules":
        """The rules under the `identity:` key of a parsed sources config (defaults if absent)."""
        section = (config or {}).get("identity") or {}
        return cls.model_validate(section)

    def pattern_params(self) -> list[dict[str, Any]]:
        """One parameter set per (pattern, type), in rule order, for sql/identity/block_pattern.sql.

        A `None` pattern_type applies the pattern to every type.
        """
        return [
            {"pattern": p.pattern, "pattern_type": type_, "block_reason": p.reason}
            for p in self.blocked_patterns
            for type_ in (p.identifier_types if p.identifier_types is not None else [None])
        ]

    def sql_params(self) -> dict[str, Any]:
        """The other rules as flat lists, bound as parameters by the sql/identity/ files."""
        hub_rows = [
            (type_, other, limit)
            for type_, others in sorted(self.hub_limits.items())
            for other, limit in sorted(others.items())
        ]
        listed = [t for t in self.identifier_priority if t != WILDCARD]
        default_rank = (
            self.identifier_priority.index(WILDCARD) + 1
            if WILDCARD in self.identifier_priority
            else len(self.identifier_priority) + 1
        )
        return {
            "blocked_values": list(self.blocked_values),
            "hub_types": [r[0] for r in hub_rows],
            "hub_other_types": [r[1] for r in hub_rows],
            "hub_max_distinct": [r[2] for r in hub_rows],
            "priority_types": listed,
            "priority_ranks": [self.identifier_priority.index(t) + 1 for t in listed],
            "default_priority_rank": default_rank,
            "case_insensitive_types": list(self.case_insensitive_types),
        }
