"""Times people type in Norwegian time (Europe/Oslo), checked against the summer-time changes."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


class OsloTimeError(ValueError):
    """A typed time that does not exist, or exists twice, in Norwegian time; or is no time."""


def parse_oslo_time(value: str) -> datetime:
    """Parse an ISO 8601 time; one without a zone is Norwegian time, if that is unambiguous."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise OsloTimeError(f"{value!r} is not an ISO 8601 time (2026-12-01T08:00)") from exc
    if parsed.tzinfo:
        return parsed
    return as_oslo(parsed)


def as_oslo(naive: datetime) -> datetime:
    """A wall-clock time in Norway as an aware time; refused in a skipped or doubled hour."""
    earlier, later = naive.replace(tzinfo=OSLO, fold=0), naive.replace(tzinfo=OSLO, fold=1)
    try:
        round_trip = earlier.astimezone(UTC).astimezone(OSLO).replace(tzinfo=None)
    except OverflowError as exc:  # 0001-01-01 or 9999-12-31: no UTC time to match it
        raise OsloTimeError(f"{naive.isoformat(timespec='minutes')} is out of range.") from exc
    if round_trip != naive:
        raise OsloTimeError(
            f"{naive.isoformat(timespec='minutes')} does not exist in Norwegian time: the clocks"
            " skip that hour when summer time begins. Give a time outside it."
        )
    if earlier.utcoffset() != later.utcoffset():
        raise OsloTimeError(
            f"{naive.isoformat(timespec='minutes')} happens twice in Norwegian time: the clocks go"
            f" back an hour when summer time ends. Give the offset: {earlier.isoformat()} (summer"
            f" time, the first) or {later.isoformat()} (winter time, the second)."
        )
    return earlier
