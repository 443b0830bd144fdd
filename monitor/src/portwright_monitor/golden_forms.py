"""How a live value would read in a committed golden output, so it can be found there.

A recording's golden output is scrubbed before it is committed: every PHI value the
adapter's scrub policy names (a first name, a city, an email) is replaced by its
deterministic pseudonym, an HMAC of (kind, value) under the pseudonym key
(:mod:`portwright.recording.scrub.pseudonymizer`; ``PORTWRIGHT_PSEUDONYM_KEY`` or the
default). A live run reads the real values. Scrubbed the same way (the same policy, the
same key), the real "Smith" becomes the very pseudonym the golden holds.

The kind a value was scrubbed as is the kind of the field it stood in, and a value that
moved reads as another field's kind in the baseline: a city read into the state column
was scrubbed as a city. So a live value is given several forms: itself (a field no
policy names, a golden written by hand), what scrubbing the live outputs as a recording
would make of it (PHI found by its shape anywhere, an email in a free-text field), and
its pseudonym as each PHI kind the entity's fields have. A pseudonym is an HMAC: a form
of one value never equals a form of another by chance.

A recording's ``meta.json`` inputs are scrubbed the same way (a member id input becomes
its pseudonym), so a live run's inputs are found among the recordings' as the recorder
would have written them (:func:`recorded_inputs`). A value typed into a search is PHI to
the recorder only through the outputs it found (an MRN, a name, a birth date in
``query``); a run that failed before any output (a page no map matches) has none to
learn it from, but the recording's golden shows what the recorder learned: the recorded
input is a value of one of its PHI fields, and the live input pseudonymized as that
field's kind, under the same key, is that very value (:func:`recorded_from_golden`).

The forms hold real values and pseudonyms: they live in memory only, and nothing built
from them but counts leaves the monitor.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from portwright.exceptions import PortwrightError
from portwright.recording.golden import SAVED_FILE
from portwright.recording.hooks import hooks_for
from portwright.recording.scrub import (
    BASELINE_POLICY,
    PLACEHOLDERS,
    PhiKind,
    Scrubber,
    ScrubPolicy,
)
from portwright.recording.scrub.entity_fields import entity_phi

__all__ = ["comparable_values", "golden_forms", "recorded_from_golden", "recorded_inputs",
           "scrub_policy_of"]

#: what a secret becomes in a golden, and a saved file's path and size: the same text for
#: every value, so it says nothing about where a value went, or whose record it is
_PLACEHOLDERS = frozenset({*PLACEHOLDERS.values(), SAVED_FILE})


def scrub_policy_of(portal: str) -> ScrubPolicy:
    """The policy the portal's recordings were scrubbed with (its adapter's); the
    baseline policy when the portal has no adapter whose policy loads: the values the
    baseline policy leaves alone are still compared as they are, so a broken adapter
    makes fewer values comparable, never a wrong finding."""
    try:
        return hooks_for(portal).scrub_policy()
    except PortwrightError:
        return BASELINE_POLICY


def _recorders_scrubber(policy: ScrubPolicy) -> Scrubber:
    """A scrubber as the recorder makes one for a recording: ``policy``, and the pseudonym
    key of the environment (``PORTWRIGHT_PSEUDONYM_KEY``, else the default)."""
    return Scrubber(policy)


def recorded_inputs(policy: ScrubPolicy, inputs: Mapping[str, Any],
                    outputs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``inputs`` as the recorder writes them into ``meta.json``: scrubbed under ``policy``
    after learning from the run's ``outputs`` (a golden, ``{"outputs": ...}``) and the
    inputs, in the recorder's order. An input the policy names (``member_id``), or one of
    a PHI shape, becomes its pseudonym; a name typed into a search becomes the pseudonym
    it has in the outputs the search found. The recorder also learned from the traffic,
    which a live run does not keep: a value only the traffic showed to be PHI stays as
    it is here."""
    scrubber = _recorders_scrubber(policy)
    if outputs is not None:
        scrubber.learn_json(dict(outputs))
    scrubber.learn_json(dict(inputs))
    scrubbed: dict[str, Any] = scrubber.scrub_json(dict(inputs))
    return scrubbed


def _phi_values(policy: ScrubPolicy, node: Any) -> Iterator[tuple[str, PhiKind]]:
    """(value, kind) of every value of ``node`` (a golden) in a field the scrubber
    pseudonymizes: one the policy names, or a PHI field of a record shaped like an entity
    (the scrubber's own rule)."""
    if isinstance(node, Mapping):
        entity = entity_phi(node)
        for key, value in node.items():
            kind = policy.field_kind(str(key))
            if kind is None and entity is not None:
                kind = entity.kinds.get(str(key))
            if isinstance(kind, PhiKind) and isinstance(value, str | int) \
                    and not isinstance(value, bool):
                yield str(value).strip(), kind
            else:
                yield from _phi_values(policy, value)
    elif isinstance(node, list):
        for item in node:
            yield from _phi_values(policy, item)


def recorded_from_golden(policy: ScrubPolicy, live: Mapping[str, Any],
                         recorded: Mapping[str, Any], golden: Mapping[str, Any],
                         scrubbed: Mapping[str, Any] | None = None) -> bool:
    """Whether ``recorded`` (a recording's ``meta.json`` inputs) are the ``live`` inputs as
    the recorder wrote them, where only the recording's ``golden`` tells how: each input
    is recorded as it is live, or as :func:`recorded_inputs` made it (``scrubbed``), or
    (a text) as a value a PHI field of the golden holds that is the live value's
    pseudonym as that field's kind (see the module docstring). Every value of the
    golden's PHI fields is a pseudonym, drawn by an HMAC under the key: another live
    value does not make it (but for a rare date: a date's pseudonym is a day 30 to 700
    days earlier, which another date's may be too)."""
    if set(live) != set(recorded):
        return False
    scrubbed = scrubbed or {}
    kinds: dict[str, set[PhiKind]] = {}
    for value, kind in _phi_values(policy, golden):
        kinds.setdefault(value, set()).add(kind)
    pseudonymizer = _recorders_scrubber(policy).table.pseudonymizer
    for name, value in live.items():
        was = recorded[name]
        if was == value or (name in scrubbed and was == scrubbed[name]):
            continue
        if not isinstance(value, str) or not isinstance(was, str) or not value.strip():
            return False
        if not any(pseudonymizer.pseudonym(kind, value.strip()) == was.strip()
                   for kind in kinds.get(was.strip(), ())):
            return False
    return True


def comparable_values(record: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field, value as text) of every filled scalar of ``record``, nested fields dotted
    (``address.city``). Booleans, lists, secrets' placeholders and saved files' markers
    are left out: they are the same in many fields and records, so they cannot say where
    a value went."""
    for key, value in record.items():
        if isinstance(value, Mapping):
            yield from comparable_values(value, f"{prefix}{key}.")
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            text = str(value).strip()
            if text and text not in _PLACEHOLDERS:
                yield f"{prefix}{key}", text


def _phi_kinds(policy: ScrubPolicy, records: Sequence[Mapping[str, Any]]) -> set[PhiKind]:
    """The PHI kinds the policy gives the fields of ``records`` (by their leaf names)."""
    kinds = set()
    for record in records:
        for field, _ in comparable_values(record):
            kind = policy.field_kind(field.rsplit(".", 1)[-1])
            if isinstance(kind, PhiKind):
                kinds.add(kind)
    return kinds


def golden_forms(policy: ScrubPolicy, baseline: Sequence[Mapping[str, Any]],
                 live: Sequence[Mapping[str, Any]]) -> list[dict[str, frozenset[str]]]:
    """Per live record of one entity output: field → every form its value may have in
    a golden scrubbed under ``policy`` (see the module docstring)."""
    scrubber = _recorders_scrubber(policy)
    pseudonymizer = scrubber.table.pseudonymizer
    scrubber.learn_json(list(live))
    kinds = _phi_kinds(policy, [*baseline, *live])
    values = [dict(comparable_values(record)) for record in live]
    # a field the policy names is scrubbed by its kind, which the pseudonyms cover; the
    # others through the table of learned values, each distinct value once (the table
    # is one pattern of every value learned: slow to run, on a list of thousands)
    unnamed = sorted({value for record in values for field, value in record.items()
                      if policy.field_kind(field.rsplit(".", 1)[-1]) is None})
    recorded = dict(zip(unnamed, scrubber.scrub_json(unnamed), strict=True))
    out = []
    for record in values:
        forms = {}
        for field, value in record.items():
            found = {value, recorded.get(value, value),
                     *(pseudonymizer.pseudonym(kind, value) for kind in kinds)}
            forms[field] = frozenset(found - _PLACEHOLDERS)
        out.append(forms)
    return out
