"""The fixed calendar of the sample company, and UTC offsets for the few zones it uses.

The data window is pinned (not relative to today) so that a (customers, seed) pair always
produces the same bytes. All times inside the generator are int64 epoch milliseconds, UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

SECOND = 1_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY


def epoch_ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def iso_utc(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


JOURNEY_START_MIN = epoch_ms("2026-01-05T00:00:00Z")
# Inclusive: nothing in the exports happens (or arrives) after this instant.
LAST_EVENT = epoch_ms("2026-10-31T23:59:59Z")
AS_OF = epoch_ms("2026-11-01T00:00:00Z")
# Exclusive. Customers keep arriving until as-of, as at a real company, so the latest weeks
# hold journeys still in progress: what they would do after LAST_EVENT is not in the exports.
JOURNEY_START_MAX = AS_OF


@dataclass(frozen=True)
class Zone:
    """A zone's two offsets and its 2026 daylight-saving switch instants (UTC).

    Hard-coded rather than read from the tz database at run time, so the bytes cannot change
    when the host's tzdata does; tests check these against zoneinfo.
    """

    name: str
    standard_minutes: int
    daylight_minutes: int
    daylight_from: int
    daylight_until: int


_US_SPRING, _US_FALL = "2026-03-08T02:00:00", "2026-11-01T02:00:00"


def _us(name: str, standard_hours: int) -> Zone:
    # US switches at 02:00 local time, so the UTC instant differs per zone.
    start = epoch_ms(_US_SPRING + "Z") - standard_hours * HOUR
    end = epoch_ms(_US_FALL + "Z") - (standard_hours + 1) * HOUR
    return Zone(name, standard_hours * 60, (standard_hours + 1) * 60, start, end)


def _eu(name: str, standard_hours: int) -> Zone:
    # The EU switches everywhere at 01:00 UTC.
    return Zone(name, standard_hours * 60, (standard_hours + 1) * 60,
                epoch_ms("2026-03-29T01:00:00Z"), epoch_ms("2026-10-25T01:00:00Z"))


ZONES: tuple[Zone, ...] = (
    _us("America/New_York", -5),
    _us("America/Chicago", -6),
    _us("America/Denver", -7),
    _us("America/Los_Angeles", -8),
    _eu("Europe/London", 0),
    _eu("Europe/Berlin", 1),
)
ZONE_INDEX = {zone.name: i for i, zone in enumerate(ZONES)}
NEW_YORK = ZONE_INDEX["America/New_York"]
CHICAGO = ZONE_INDEX["America/Chicago"]


def offset_minutes(zone: np.ndarray | int, ms: np.ndarray) -> np.ndarray:
    """UTC offset in minutes of each instant `ms` in zone index `zone` (scalar or per row)."""
    zone = np.broadcast_to(np.asarray(zone, dtype=np.int64), np.shape(ms))
    std = np.array([z.standard_minutes for z in ZONES], dtype=np.int16)[zone]
    dst = np.array([z.daylight_minutes for z in ZONES], dtype=np.int16)[zone]
    start = np.array([z.daylight_from for z in ZONES], dtype=np.int64)[zone]
    end = np.array([z.daylight_until for z in ZONES], dtype=np.int64)[zone]
    return np.where((ms >= start) & (ms < end), dst, std).astype(np.int16)
