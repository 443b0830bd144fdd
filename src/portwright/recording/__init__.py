"""Recorded fixtures: record a flow once against a portal, replay it offline, leak nothing.

One module per seam, as in vcrpy:

* ``record_mode``: the strict record-mode enum (a typo fails loudly);
* ``layout``: where a recording lives and what its ``meta.json`` says;
* ``scrub``: the per-adapter scrub policy, the pseudonymizer and the scrubbers for HARs,
  cassettes and golden outputs;
* ``har_replay``: serving a HAR to a browser context, in order, fully offline;
* ``recorder`` / ``replayer``: running a flow to make, or against, a recording;
* ``audit``: scanning committed recordings for secrets and PHI;
* ``golden``: comparing a run's output with its golden file.

The names below are loaded on first use (PEP 562), not when the package is imported:
``portwright.settings`` imports ``portwright.recording.record_mode``, which runs this
file first, and an eager ``layout`` import here (it pulls in every entity model) cost
every ``load_settings()`` about a quarter of a second.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from portwright.recording.layout import RecordingMeta, RecordingPaths
    from portwright.recording.record_mode import RecordMode, validate_record_mode

# Public name -> the module that defines it.
_LAZY: dict[str, str] = {
    "RecordMode": "portwright.recording.record_mode",
    "RecordingMeta": "portwright.recording.layout",
    "RecordingPaths": "portwright.recording.layout",
    "validate_record_mode": "portwright.recording.record_mode",
}

__all__ = ["RecordMode", "RecordingMeta", "RecordingPaths", "validate_record_mode"]


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'portwright.recording' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this hook
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
