"""Japan time, for every layer: the store keeps naive UTC; people in Japan read and type
Japan time (no daylight saving, so a fixed offset is exact)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

JAPAN = timezone(timedelta(hours=9), "JST")


def to_japan(moment: datetime) -> datetime:
    """A stored (naive UTC) time as an aware Japan time."""
    return moment.replace(tzinfo=UTC).astimezone(JAPAN)


def from_japan_time(text: str) -> datetime:
    """A time typed in Japan time (``2026-12-01T09:30``, a ``datetime-local`` field) as the
    store's naive UTC; a time with its own offset is converted from that. ``ValueError``
    when it is not a time."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=JAPAN)
    return moment.astimezone(UTC).replace(tzinfo=None)


def japan_local(moment: datetime) -> str:
    """The store's naive UTC as a ``datetime-local`` value in Japan time (the inverse of
    ``from_japan_time``)."""
    return to_japan(moment).strftime("%Y-%m-%dT%H:%M")


def japan_time(moment: datetime) -> str:
    """A stored time as recipients in Japan read it."""
    return to_japan(moment).strftime("%Y-%m-%d %H:%M JST")
