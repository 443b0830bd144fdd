"""The pytest markers portwright's fixtures and standard suite use, registered by the
plugin so an adapter's own project needs no pytest configuration to run them."""

from __future__ import annotations

__all__ = ["MARKERS"]

MARKERS: tuple[str, ...] = (
    "browser: drives a real Chromium",
    "services: starts real loopback servers (Dovecot, sshd)",
    "replay(flow, scenario='default', ui_version=None): run FLOW against its recording; "
    "the `replayed` fixture is its RunResult",
)
