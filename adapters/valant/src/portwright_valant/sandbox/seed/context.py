"""What every seed family shares: one RNG, the anchor date, and unique prefixed ids.

All randomness flows from one ``random.Random(seed)`` consumed in a fixed order, and
every timestamp derives from the anchor date, so a seed reproduces the database exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

__all__ = ["SeedContext", "iso", "iso_date"]


def iso(moment: datetime) -> str:
    """UTC timestamp as stored: ``2026-01-20T11:02:43Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_date(day: date) -> str:
    return day.isoformat()


@dataclass
class SeedContext:
    """The seeding run's RNG, anchor date and id registry."""

    seed: int
    today: date
    rng: random.Random = field(init=False)
    _used: set[str] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def now(self) -> datetime:
        """The seed's notion of "now": noon UTC on the anchor date."""
        return datetime.combine(self.today, time(12, 0), tzinfo=UTC)

    def new_id(self, prefix: str) -> str:
        """A unique ``<prefix>_<6 hex>`` id, as the portal issues them."""
        getbits = self.rng.getrandbits
        used = self._used
        while True:
            candidate = f"{prefix}_{getbits(24):06x}"
            if candidate not in used:
                used.add(candidate)
                return candidate

    def past_moment(self, max_days: int, min_days: int = 0) -> datetime:
        """A moment between ``max_days`` and ``min_days`` days before now."""
        seconds = self.rng.randint(min_days * 86400, max_days * 86400)
        return self.now - timedelta(seconds=seconds)
