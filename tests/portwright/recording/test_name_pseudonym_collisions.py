"""A name pseudonym never spells a planted (real, seeded) name: the audit would refuse a
correctly scrubbed recording, or a recording would show one patient under another real
patient's name. A colliding word is drawn again, deterministically, so the HAR and the
golden output still agree."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from portwright.recording.audit import audit_file
from portwright.recording.hooks import PlantedValue
from portwright.recording.scrub import BASELINE_POLICY, Pseudonymizer, Scrubber, ScrubPolicy
from portwright.recording.scrub.kinds import PhiKind

KEY = "test-name-collisions"
POLICY = BASELINE_POLICY.merged(ScrubPolicy.model_validate({
    "fields": {"first_name": "name", "last_name": "name", "patient_name": "full_name"},
    "name_pairs": [["first_name", "last_name"]]}))
#: the patient the recording shows
FIRST, LAST = "Marguerite", "Oakenfold"
LABEL = "seeded patient name"

# the name pseudonym before planted names were avoided, written out here (not taken from
# the code under test): one HMAC draw of the lower-cased word, two or three syllables
_ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
           "br", "dr", "kl", "st", "tr", "sh")
_VOWELS = ("a", "e", "i", "o", "u", "ae", "ei", "ou")
_CODAS = ("", "", "", "n", "r", "l", "s", "th", "nd", "x")


def _old_word(word: str) -> str:
    digest = hmac.new(KEY.encode(), f"name\0{word.lower()}".encode(), hashlib.sha256).digest()
    rng = random.Random(int.from_bytes(digest, "big"))
    syllables = rng.choice((2, 2, 3))
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                   for _ in range(syllables)).capitalize()


def _seeded(first: str, last: str) -> list[PlantedValue]:
    """A seeded patient's name as the Valant hooks plant it: both orders, and an 835's
    ``LAST*FIRST`` in capitals."""
    return [PlantedValue(LABEL, f"{first} {last}"), PlantedValue(LABEL, f"{last}, {first}"),
            PlantedValue(f"{LABEL} in X12", f"{last}*{first}".upper())]


#: another seeded patient, whose real name is what the old rule made of the shown one's
OTHER_FIRST, OTHER_LAST = _old_word(FIRST), _old_word(LAST)
PLANTED = [*_seeded(FIRST, LAST), *_seeded(OTHER_FIRST, OTHER_LAST)]


def _entry(url: str, mime: str, text: str) -> dict[str, Any]:
    return {"request": {"method": "GET", "url": url, "headers": []},
            "response": {"status": 200, "headers": [],
                         "content": {"mimeType": mime, "text": text}}}


def _har(*people: tuple[str, str]) -> dict[str, Any]:
    """Each person in a JSON body, an HTML list (``Last, First``) and an 835 (``NM1*QC``)."""
    entries = []
    for n, (first, last) in enumerate(people):
        entries += [
            _entry(f"http://sandbox.test/api/patients/{n}", "application/json",
                   json.dumps({"first_name": first, "last_name": last})),
            _entry(f"http://sandbox.test/patients/{n}", "text/html",
                   f'<td class="name">{last}, {first}</td>'),
            _entry(f"http://sandbox.test/remittances/{n}.835", "application/edi-x12",
                   "ISA*00*          *00*          *ZZ*A              *ZZ*B              *"
                   "261201*1146*^*00501*000000001*0*P*:~GS*HP*A*B*20261201*1146*1*X*005010X221A1~"
                   "ST*835*0001~CLP*c1*1*10*10**12*9*11*1~"
                   f"NM1*QC*1*{last.upper()}*{first.upper()}****MI*W4871367~"
                   "SE*3*0001~GE*1*1~IEA*1*000000001~"),
        ]
    return {"log": {"entries": entries}}


def _scrub(planted: Callable[[], list[str]], *people: tuple[str, str]
           ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The scrubbed HAR and golden output of one recording of ``people``, scrubbed as the
    recorder does with a policy avoiding the ``planted`` names."""
    policy = POLICY.avoiding_names(planted)
    scrubber = Scrubber(policy, Pseudonymizer(KEY, avoid_names=policy.avoided_names))
    har = _har(*people)
    golden = {"outputs": {"Patient": [{"patient_name": f"{first} {last}"}
                                      for first, last in people]}}
    scrubber.learn_har(har)
    scrubber.learn_json(golden)
    return scrubber.scrub_har(har), scrubber.scrub_json(golden)


def _planted_texts() -> list[str]:
    return [value.value for value in PLANTED]


def _write(folder: Path, har: dict[str, Any], golden: dict[str, Any]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "flow.har").write_text(json.dumps(har, indent=2))
    (folder / "golden.json").write_text(json.dumps(golden, indent=2))
    return [folder / "flow.har", folder / "golden.json"]


def _shown(har: dict[str, Any]) -> list[str]:
    """The response bodies of the scrubbed HAR."""
    return [str(entry["response"]["content"]["text"]) for entry in har["log"]["entries"]]


def test_a_correctly_scrubbed_recording_whose_pseudonym_was_a_planted_name_passes(
        tmp_path: Path) -> None:
    """Under the old rule the shown patient became exactly another seeded patient's name
    (in all three notations the audit searches); now the audit finds nothing, and the
    HAR's JSON, HTML and X12 and the golden output all name the same pseudonym."""
    har, golden = _scrub(_planted_texts, (FIRST, LAST))

    for path in _write(tmp_path, har, golden):
        assert audit_file(path, PLANTED) == [], path
    fake = golden["outputs"]["Patient"][0]["patient_name"]
    fake_first, fake_last = fake.split(" ")
    assert {fake_first, fake_last}.isdisjoint({FIRST, LAST, OTHER_FIRST, OTHER_LAST})
    body, page, era = _shown(har)
    assert json.loads(body) == {"first_name": fake_first, "last_name": fake_last}
    assert page == f'<td class="name">{fake_last}, {fake_first}</td>'
    assert f"NM1*QC*1*{fake_last.upper()}*{fake_first.upper()}****MI*" in era
    # deterministic: the same recording scrubs the same, in another scrubber
    assert _scrub(_planted_texts, (FIRST, LAST)) == (har, golden)


def test_no_patient_is_shown_under_another_seeded_patients_name(tmp_path: Path) -> None:
    """Both patients in one recording: each gets a pseudonym, neither is the other's real
    name, and the two stay apart."""
    har, golden = _scrub(_planted_texts, (FIRST, LAST), (OTHER_FIRST, OTHER_LAST))

    for path in _write(tmp_path, har, golden):
        assert audit_file(path, PLANTED) == [], path
    names = [row["patient_name"] for row in golden["outputs"]["Patient"]]
    assert len(set(names)) == 2
    real = {FIRST, LAST, OTHER_FIRST, OTHER_LAST}
    assert all(word not in real for name in names for word in name.split(" "))
    text = json.dumps(har)
    assert all(word not in text for word in real) and all(
        word.upper() not in text for word in real)


def test_a_name_keeps_its_old_pseudonym_unless_it_collided() -> None:
    """Recordings scrubbed before stay valid: only a word whose old pseudonym is a
    planted word is drawn again, in the case of the real word."""
    avoided = [f"{OTHER_FIRST} {OTHER_LAST}"]
    fresh = Pseudonymizer(KEY, avoid_names=avoided)
    for word in ("Shawn", "Thorne", "Kim", "Doe", "Jessamyn", "Tanakawa"):
        assert _old_word(word) not in {OTHER_FIRST, OTHER_LAST}
        assert fresh.pseudonym(PhiKind.NAME, word) == _old_word(word)
    redrawn = fresh.pseudonym(PhiKind.NAME, FIRST)
    assert redrawn.lower() not in {OTHER_FIRST.lower(), OTHER_LAST.lower()}
    assert redrawn == redrawn.capitalize() and redrawn.isalpha()
    assert fresh.pseudonym(PhiKind.NAME, FIRST.upper()) == redrawn.upper()
    assert Pseudonymizer(KEY, avoid_names=avoided).pseudonym(PhiKind.NAME, FIRST) == redrawn


def test_planted_names_are_read_once_and_only_when_a_name_is_pseudonymized() -> None:
    """Replay, trace scrubbing and golden comparison load the policy too: listing the
    planted values (a sandbox database) must not slow them down."""
    calls: list[int] = []

    def planted() -> list[str]:
        calls.append(1)
        return _planted_texts()

    policy = BASELINE_POLICY.merged(POLICY.avoiding_names(planted))
    scrubber = Scrubber(policy, Pseudonymizer(KEY, avoid_names=policy.avoided_names))
    scrubber.learn_value(PhiKind.MRN, "MRN-774120")
    assert calls == []
    fakes = [scrubber.table.add(PhiKind.FULL_NAME, f"{FIRST} {LAST}"),
             scrubber.table.add(PhiKind.NAME, "Shawn")]
    assert calls == [1]
    assert fakes[0] != f"{OTHER_FIRST} {OTHER_LAST}"
