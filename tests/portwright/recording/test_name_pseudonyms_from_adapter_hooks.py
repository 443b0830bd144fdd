"""The scrub policy an adapter's hooks hand out keeps name pseudonyms off the names it
plants: a recording scrubbed as the recorder scrubs it (``Scrubber(hooks.scrub_policy())``)
never shows a seeded patient's real name, and the audit passes it."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from portwright.recording.audit import audit_file
from portwright.recording.hooks import AdapterHooks, PlantedValue
from portwright.recording.scrub import Pseudonymizer, Scrubber
from portwright.recording.scrub.kinds import PhiKind

LABEL = "seeded patient name"


def test_the_adapter_hooks_policy_keeps_name_pseudonyms_off_planted_names(
        tmp_path: Path) -> None:
    old = Pseudonymizer()  # no names avoided: what the recorder drew before
    first, last = old.pseudonym(PhiKind.NAME, "Marguerite"), old.pseudonym(
        PhiKind.NAME, "Oakenfold")
    planted = [PlantedValue(LABEL, f"{first} {last}"),
               PlantedValue(LABEL, f"{last}, {first}"),
               PlantedValue(f"{LABEL} in X12", f"{last}*{first}".upper()),
               PlantedValue("seeded patient date of birth", "1961-04-09", is_date=True),
               PlantedValue("password of 'admin'", "Hunter-Two-22", is_secret=True)]
    hooks = AdapterHooks("tiny", "no_such_adapter_package",
                         SimpleNamespace(planted_values=lambda: planted))
    assert hooks.planted_names() == [p.value for p in planted[:3]]

    def scrubbed() -> str:
        scrubber = Scrubber(hooks.scrub_policy())
        golden = {"patient_name": "Marguerite Oakenfold"}
        scrubber.learn_value(PhiKind.FULL_NAME, golden["patient_name"])
        return json.dumps(scrubber.scrub_json(golden))

    text = scrubbed()
    path = tmp_path / "golden.json"
    path.write_text(text)
    assert audit_file(path, planted) == []
    assert "Marguerite" not in text and f"{first} {last}" not in text
    assert scrubbed() == text
