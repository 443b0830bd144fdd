"""The audit searches recordings for the sandbox's real dates of birth, in every notation,
and date pseudonyms never equal one of them (so the search raises no false alarm)."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import re
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.exceptions import RecordingError
from portwright.recording.audit import audit_file
from portwright.recording.hooks import AdapterHooks, PlantedValue, hooks_for
from portwright.recording.layout import iter_recordings
from portwright.recording.scrub.kinds import PhiKind
from portwright.recording.scrub.pseudonymizer import DEFAULT_KEY, Pseudonymizer, parse_date
from portwright.recording.scrub.scrubber import Scrubber
from portwright.settings import load_settings

REPO_RECORDINGS = load_settings().path("recordings")
DOB_LABEL = "seeded patient date of birth"


@pytest.fixture(scope="module")
def valant_hooks() -> AdapterHooks:
    return hooks_for("valant")


@pytest.fixture(scope="module")
def planted_dobs(valant_hooks: AdapterHooks) -> list[date]:
    return sorted(date.fromisoformat(p.value) for p in valant_hooks.planted_values()
                  if p.label == DOB_LABEL)


def _old_rule(day: date) -> date:
    """The date pseudonym before birth dates were avoided: one HMAC draw, 30 to 700 days
    earlier (written out here, not taken from the code under test)."""
    digest = hmac.new(DEFAULT_KEY.encode(), f"date\0{day.isoformat()}".encode(),
                      hashlib.sha256).digest()
    return day - timedelta(days=random.Random(int.from_bytes(digest, "big")).randint(30, 700))


def _entry(url: str, mime: str, text: str, post: str | None = None) -> dict[str, Any]:
    request: dict[str, Any] = {"method": "POST" if post else "GET", "url": url, "headers": []}
    if post is not None:
        request["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": post}
    return {"request": request,
            "response": {"status": 200, "headers": [], "content": {"mimeType": mime,
                                                                     "text": text}}}


def test_the_valant_hooks_plant_every_seeded_birth_date(tmp_path: Path,
                                                       planted_dobs: list[date]) -> None:
    from portwright_valant.sandbox.config import SandboxConfig
    from portwright_valant.sandbox.database import prepare_database

    db = prepare_database(SandboxConfig(db_path=tmp_path / "seed.sqlite3"))
    with sqlite3.connect(db) as conn:
        seeded = {date.fromisoformat(dob) for (dob,) in conn.execute("SELECT dob FROM patients")}
    assert len(seeded) > 100
    assert set(planted_dobs) == seeded


def test_a_real_birth_date_fails_the_audit_in_every_notation(
        tmp_path: Path, planted_dobs: list[date]) -> None:
    """HTML cell, JSON body, form field (URL-encoded, unpadded), X12 DMG: each is a finding
    at its file:line, naming the notation, the value masked."""
    source = next(r for r in iter_recordings(REPO_RECORDINGS, "valant")
                  if r.flow == "valant.login" and r.scenario == "totp")
    folder = tmp_path / "recordings" / "valant" / "login" / source.ui_version / "totp"
    shutil.copytree(source.folder, folder)
    form_day = next(day for day in planted_dobs if day.month < 10 and day.day < 10)
    html_day, json_day, x12_day = [day for day in planted_dobs if day != form_day][:3]
    leaks = {
        "MM/DD/YYYY": f'<td id="demo-dob">{html_day:%m/%d/%Y}</td>',
        "YYYY-MM-DD": json.dumps({"patient": {"dob": json_day.isoformat()}}),
        "M/D/YYYY": f"first_name=Kim&dob={form_day.month}%2F{form_day.day}%2F{form_day.year}",
        "X12 D8 CCYYMMDD": f"ISA*00*~ST*837*0001~DMG*D8*{x12_day:%Y%m%d}*F~SE*3*0001~",
    }
    har_path = folder / "flow.har"
    har = json.loads(har_path.read_text())
    har["log"]["entries"] += [
        _entry("http://sandbox.test/patients/1", "text/html", leaks["MM/DD/YYYY"]),
        _entry("http://sandbox.test/api/patients/2", "application/json", leaks["YYYY-MM-DD"]),
        _entry("http://sandbox.test/patients/3", "text/html", "<p>saved</p>",
               post=leaks["M/D/YYYY"]),
        _entry("http://sandbox.test/claims/4.837", "text/plain", leaks["X12 D8 CCYYMMDD"]),
    ]
    har_path.write_text(json.dumps(har, indent=2))
    lines = har_path.read_text().splitlines()

    result = CliRunner().invoke(app, ["recordings", "audit"],
                                env={"PORTWRIGHT_RECORDINGS": str(tmp_path / "recordings")})

    assert result.exit_code == 1
    for notation, leak in leaks.items():
        line = next(i for i, text in enumerate(lines, 1) if json.dumps(leak)[1:-1] in text)
        found = [out for out in result.output.splitlines()
                 if out.startswith(f"{har_path}:{line}:")
                 and f"planted value ({DOB_LABEL} as {notation})" in out]
        assert len(found) == 1, (notation, result.output)
        preview = found[0].rsplit(": ", 1)[1]
        assert re.fullmatch(r"\S{1,2}•+", preview), preview  # masked, as other findings
    for day in (html_day, json_day, form_day, x12_day):
        for shown in (day.isoformat(), f"{day:%m/%d/%Y}", f"{day:%Y%m%d}",
                      f"{day.month}/{day.day}/{day.year}"):
            assert shown not in result.output  # the report itself must not leak it


def test_a_birth_date_inside_a_longer_number_is_no_finding(
        tmp_path: Path, planted_dobs: list[date]) -> None:
    day = planted_dobs[0]
    path = tmp_path / "golden.json"
    path.write_text(f'{{"claim": "CLM{day:%Y%m%d}", "icn": "9{day:%Y%m%d}1", '
                    f'"total": "1{day:%m/%d/%Y}"}}\n')
    assert audit_file(path, [PlantedValue(DOB_LABEL, day.isoformat(), is_date=True)]) == []


def _patient_har(day: date) -> dict[str, Any]:
    """A Valant-like recording of one patient: the birth date in a JSON body, a chart's
    labelled cell (US notation) and a search form."""
    return {"log": {"entries": [
        _entry("http://sandbox.test/api/patients/7", "application/json",
               json.dumps({"firstName": "Kim", "lastName": "Doe", "dob": day.isoformat()})),
        _entry("http://sandbox.test/patients/7", "text/html",
               f'<dl><dd data-testid="field-dob">{day:%m/%d/%Y}</dd></dl>'),
        _entry("http://sandbox.test/patients", "text/html", "<p>1 result</p>",
               post=f"dob={day.month}%2F{day.day}%2F{day.year}"),
    ]}}


def test_a_patient_whose_old_pseudonym_was_another_patients_birth_date_passes(
        tmp_path: Path, valant_hooks: AdapterHooks, planted_dobs: list[date]) -> None:
    """Under the old rule this patient's date shifted onto another seeded patient's real
    birth date, which the audit would now report; scrubbed with the adapter's policy, the
    recording holds no planted birth date and passes."""
    planted = set(planted_dobs)
    collided = [day for day in planted_dobs if _old_rule(day) in planted]
    assert collided, "the default seed has patients whose old pseudonym is another's DOB"
    day = collided[0]

    def scrubbed() -> str:
        scrubber = Scrubber(valant_hooks.scrub_policy())
        har = _patient_har(day)
        scrubber.learn_har(har)
        return json.dumps(scrubber.scrub_har(har), indent=2)

    text = scrubbed()
    path = tmp_path / "flow.har"
    path.write_text(text)
    assert audit_file(path, valant_hooks.planted_values()) == []
    assert day.isoformat() not in text and _old_rule(day).isoformat() not in text
    assert scrubbed() == text  # deterministic: the same recording scrubs the same


@pytest.mark.parametrize("notation", ["%Y-%m-%d", "%m/%d/%Y", "{d.month}/{d.day}/{d.year}",
                                      "%b %d, %Y", "%Y-%m-%dT09:30:00"])
def test_date_pseudonyms_are_deterministic_and_never_a_planted_birth_date(
        planted_dobs: list[date], notation: str) -> None:
    planted = frozenset(planted_dobs)
    first, second = Pseudonymizer(avoid_dates=planted), Pseudonymizer(avoid_dates=planted)
    for day in planted_dobs:
        real = notation.format(d=day) if "{" in notation else day.strftime(notation)
        fake = first.pseudonym(PhiKind.DATE, real)
        assert fake == second.pseudonym(PhiKind.DATE, real)
        parsed = parse_date(fake)
        assert parsed is not None and parsed[1] == parse_date(real)[1]  # type: ignore[index]
        assert parsed[0] not in planted
        assert parsed[0] < day  # in the past, like the real date
        if "{" in notation and day.month < 10 and day.day < 10:  # un-padded stays so
            assert not re.match(r"0|\d+/0", fake), fake


def test_a_date_keeps_its_old_pseudonym_unless_it_collided(planted_dobs: list[date]) -> None:
    """Recordings scrubbed before stay valid: only a colliding date gets a new pseudonym."""
    planted = set(planted_dobs)
    fresh = Pseudonymizer(avoid_dates=planted)
    for day in planted_dobs:
        if _old_rule(day) not in planted:
            assert fresh.fake_day(day) == _old_rule(day)


def test_a_date_whose_every_draw_is_avoided_walks_back_to_a_free_day() -> None:
    day = date(1990, 6, 15)
    avoided = {day - timedelta(days=n) for n in range(30, 701)}
    fake = Pseudonymizer(avoid_dates=avoided).fake_day(day)
    assert fake == day - timedelta(days=701)
    assert Pseudonymizer(avoid_dates=avoided).fake_day(day) == fake


def test_an_x12_birth_date_pseudonym_is_no_planted_date(planted_dobs: list[date]) -> None:
    planted = frozenset(planted_dobs)
    pseudonymizer = Pseudonymizer(avoid_dates=planted)
    for day in planted_dobs:
        fake = pseudonymizer.pseudonym(PhiKind.DATE, f"{day:%Y%m%d}")
        assert re.fullmatch(r"\d{8}", fake) and fake != f"{day:%Y%m%d}"
        assert fake not in {f"{d:%Y%m%d}" for d in planted}


def test_planted_dates_are_read_only_when_a_date_is_pseudonymized() -> None:
    """Replay, trace scrubbing and golden comparison load the policy too: listing the
    planted values (a sandbox database) must not slow them down."""
    calls: list[int] = []
    real = date(1976, 1, 1)
    planted = _old_rule(real)  # what the real date would have become

    def planted_values() -> list[PlantedValue]:
        calls.append(1)
        return [PlantedValue(DOB_LABEL, planted.isoformat(), is_date=True)]

    hooks = AdapterHooks("tiny", "no_such_adapter_package",
                         SimpleNamespace(planted_values=planted_values))
    scrubber = Scrubber(hooks.scrub_policy())
    scrubber.learn_value(PhiKind.MRN, "MRN-774120")
    assert calls == []
    fake = date.fromisoformat(scrubber.table.add(PhiKind.DATE, real.isoformat()))
    assert calls == [1]
    assert fake != planted and fake < real


def test_a_planted_date_that_is_no_date_is_the_adapters_error() -> None:
    hooks = AdapterHooks("tiny", "no_such_adapter_package", SimpleNamespace(
        planted_values=lambda: [PlantedValue(DOB_LABEL, "03/07/1984", is_date=True)]))
    with pytest.raises(RecordingError, match="not an ISO date"):
        hooks.planted_values()
