"""Record modes, as in vcrpy: a strict enum, so a misspelled mode fails loudly.

``none`` replays only and never touches the network (the CI default); ``once`` records
when no recording exists yet; ``new_episodes`` also records over a *stale* recording (made
under another flow version or a map version the portal no longer has:
:mod:`portwright.recording.staleness`) and keeps a current one; ``all`` (alias
``rewrite``) always records afresh. Whatever the mode, an old recording is replaced only
once the new one is complete and has passed the audit.

Where vcrpy's ``new_episodes`` appends new requests to a cassette, here the episode is the
whole scenario: a HAR is one browser session of a stateful portal, and splicing new
requests into an old session would replay cookies and tokens that never met.
"""

from __future__ import annotations

from enum import StrEnum

from portwright.exceptions import RecordModeError

__all__ = ["RecordMode", "validate_record_mode"]


class RecordMode(StrEnum):
    """What ``portwright record`` / the replay fixtures may do with the network."""

    NONE = "none"
    ONCE = "once"
    NEW_EPISODES = "new_episodes"
    ALL = "all"

    def should_record(self, exists: bool, stale: bool = False) -> bool:
        """Whether a run in this mode records (``exists``: a recording is already there;
        ``stale``: it no longer matches the flow or maps)."""
        if self is RecordMode.NONE:
            return False
        if self is RecordMode.ONCE:
            return not exists
        if self is RecordMode.NEW_EPISODES:
            return not exists or stale
        return True

    @property
    def vcr_mode(self) -> str:
        """The matching vcrpy record mode for the cassette of non-browser HTTP."""
        return self.value


_ALIASES: dict[str, RecordMode] = {"rewrite": RecordMode.ALL}


def validate_record_mode(value: str | RecordMode) -> RecordMode:
    """Turn user input into a ``RecordMode`` or raise ``RecordModeError`` naming valid modes."""
    if isinstance(value, RecordMode):
        return value
    text = str(value).strip().lower().replace("-", "_")
    if text in _ALIASES:
        return _ALIASES[text]
    try:
        return RecordMode(text)
    except ValueError:
        valid = ", ".join([m.value for m in RecordMode] + [f"{a} (= {m.value})"
                                                           for a, m in _ALIASES.items()])
        raise RecordModeError(
            f"unknown record mode '{value}'",
            hint=f"valid record modes: {valid}",
        ) from None
