"""What an audit of one portal's recordings checks against: the adapter's planted values
and its scrub policy.

Only a portal with no adapter installed falls back to patterns alone. An installed
adapter that does not load, or whose hooks fail (a typo in its ``scrub_policy.yaml``),
is a problem to report:
dropping its planted values quietly would let ``recordings audit`` pass on the very
secrets it exists to find.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from portwright.exceptions import AdapterLoadError, AdapterNotFound, PortwrightError
from portwright.recording.hooks import AdapterHooks, PlantedValue, hooks_for
from portwright.recording.scrub.policy import ScrubPolicy

__all__ = ["AuditInputs", "audit_inputs"]


@dataclass(frozen=True)
class AuditInputs:
    """Planted values and policy to audit with, or why they are missing."""

    planted: list[PlantedValue] = field(default_factory=list)
    policy: ScrubPolicy | None = None
    #: why only the patterns are checked (no adapter installed), for a note
    patterns_only: str | None = None
    #: hooks of an installed adapter that failed: each makes the audit fail
    problems: list[str] = field(default_factory=list)


def audit_inputs(portal: str,
                 load: Callable[[str], AdapterHooks] = hooks_for) -> AuditInputs:
    """The audit's inputs for ``portal``; each half is loaded on its own, so a broken
    policy does not also throw away the planted values."""
    try:
        hooks = load(portal)
    except AdapterLoadError as exc:  # installed, but it does not load
        return AuditInputs(problems=[f"{portal}: {exc.message}"])
    except AdapterNotFound as exc:
        return AuditInputs(patterns_only=exc.message)
    problems: list[str] = []
    planted: list[PlantedValue] = []
    policy: ScrubPolicy | None = None
    try:
        planted = hooks.planted_values()
    except PortwrightError as exc:
        problems.append(f"{portal}: its planted values cannot be loaded: {exc}")
    try:
        policy = hooks.scrub_policy()
    except PortwrightError as exc:
        problems.append(f"{portal}: its scrub policy cannot be loaded: {exc}")
    return AuditInputs(planted, policy, None, problems)
