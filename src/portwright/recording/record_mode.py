"""Record modes, as in vcrpy: a strict enum, so a misspelled mode fails loudly.

``none`` replays only and never touches the network (the CI default); ``once`` records
when no recording exists yet; ``new_episodes`` records again, keeping the old recording
until the new one is complete; ``all`` (alias ``rewrite``) always records afresh.
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

    def should_record(self, exists: bool) -> bool:
        """Whether a run in this mode records (``exists``: a recording is already there)."""
        if self is RecordMode.NONE:
            return False
        if self is RecordMode.ONCE:
            return not exists
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
