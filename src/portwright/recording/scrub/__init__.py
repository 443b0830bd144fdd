"""Scrubbing: secrets become fixed placeholders, PHI becomes consistent pseudonyms.

* ``policy``: what is secret or PHI for a portal (per adapter, over a baseline);
* ``entity_fields``: the PHI fields portwright's entities mark, scrubbed in every record
  shaped like an entity whatever the policy says;
* ``kinds``: the kinds of values and the placeholders of secrets;
* ``pseudonymizer``: deterministic, format-keeping fake values;
* ``values``: the table of learned values and every notation they may appear in;
* ``detectors``: PHI shapes (email, phone, SSN) found anywhere;
* ``scrubber``: learn from, then scrub, HARs, cassettes, golden outputs and inputs;
* ``har_entries`` / ``vcr_interactions``: how a HAR / a vcrpy cassette is walked;
* ``encoded_values``: inside base64 tokens (``encoded_json``: of JSON, ``base64_text``:
  of text) and compressed bodies stored as text (``stored_compression``), decoded by the
  audit's rules, scrubbed with the same table, encoded back the same way.
"""

from __future__ import annotations

from portwright.recording.scrub.kinds import PLACEHOLDERS, Kind, PhiKind, SecretKind
from portwright.recording.scrub.policy import BASELINE_POLICY, ScrubPolicy, load_policy
from portwright.recording.scrub.pseudonymizer import Pseudonymizer
from portwright.recording.scrub.scrubber import Scrubber

__all__ = [
    "BASELINE_POLICY",
    "PLACEHOLDERS",
    "Kind",
    "PhiKind",
    "Pseudonymizer",
    "ScrubPolicy",
    "Scrubber",
    "SecretKind",
    "load_policy",
]
