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
"""

from __future__ import annotations

from portwright.recording.layout import RecordingMeta, RecordingPaths
from portwright.recording.record_mode import RecordMode, validate_record_mode

__all__ = ["RecordMode", "RecordingMeta", "RecordingPaths", "validate_record_mode"]
