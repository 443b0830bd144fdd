"""What every submission channel offers: deliver bytes under a name, or say it already has.

``already_delivered`` lets a retry after a crash (upload done, ledger not yet updated)
find out that the file landed instead of sending it a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["AsyncSubmissionChannel", "Delivery", "SubmissionChannel"]


@dataclass(frozen=True)
class Delivery:
    """Where a file ended up (``location`` is channel-specific: a remote path, a URL)."""

    channel: str
    location: str
    size: int


class SubmissionChannel(Protocol):
    """A destination for claim files."""

    name: str

    def deliver(self, filename: str, content: bytes) -> Delivery:
        """Deliver ``content`` as ``filename``, all or nothing; SubmissionError on failure."""
        ...

    def already_delivered(self, filename: str, content: bytes) -> Delivery | None:
        """The earlier delivery of exactly this file, if the destination has it."""
        ...


class AsyncSubmissionChannel(Protocol):
    """A destination reached asynchronously (a browser flow on the portal)."""

    name: str

    async def deliver(self, filename: str, content: bytes) -> Delivery:
        """Deliver ``content`` as ``filename``; SubmissionError on failure."""
        ...

    async def already_delivered(self, filename: str, content: bytes) -> Delivery | None:
        """The earlier delivery of exactly this file, if the destination has it."""
        ...
