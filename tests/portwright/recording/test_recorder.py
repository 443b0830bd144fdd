"""Recording a Valant flow against the sandbox: scrubbed before it is saved, replayable
offline, and nothing at all saved when scrubbing misses something."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser

from portwright.exceptions import AuditFailed, RecordingError
from portwright.recording.audit import audit_tree
from portwright.recording.hooks import AdapterHooks, hooks_for
from portwright.recording.layout import file_sha256
from portwright.recording.recorder import record_flow
from portwright.recording.replayer import replay_recording
from portwright.recording.scrub import BASELINE_POLICY, ScrubPolicy
from portwright.settings import load_settings

pytestmark = pytest.mark.browser

INPUTS = {"status": "discharged", "provider_id": "prv_0ed904"}


@pytest.fixture
def devadmin(monkeypatch: pytest.MonkeyPatch) -> None:
    from portwright_valant.sandbox.auth.accounts import ACCOUNTS

    account = next(a for a in ACCOUNTS if a.username == "devadmin")
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_USERNAME", account.username)
    monkeypatch.setenv("PORTWRIGHT_SECRET_VALANT_PASSWORD", account.password or "")


def _temp_work_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("portwright-record-*")}


async def test_record_scrubs_saves_and_replays_offline(
        devadmin: None, sandbox_2026: Any, browser: Browser, tmp_path: Path) -> None:
    settings = load_settings(recordings=tmp_path / "recordings")
    before = _temp_work_dirs()
    outcome = await record_flow("valant.patients.list", portal_url=sandbox_2026.url,
                                inputs=INPUTS, scenario="t", mode="all", settings=settings,
                                browser=browser)
    assert outcome.recorded and _temp_work_dirs() == before  # raw data deleted
    paths = outcome.paths
    assert paths.folder == tmp_path / "recordings/valant/patients.list/2026.1/t"
    meta = paths.load_meta()
    assert (meta.app_version, meta.selector_map_version) == ("2026.1.2", "2026.1")
    assert meta.inputs == INPUTS and "valant.password" in meta.secret_names
    for name, digest in meta.content_hashes.items():
        assert file_sha256(paths.folder / name) == digest

    # ground truth: the sandbox's own rows; ids survive, names are pseudonyms
    rows = sandbox_2026.query("SELECT id, first_name, last_name FROM patients WHERE "
                              "status = 'discharged' AND primary_provider_id = 'prv_0ed904'")
    golden = paths.load_golden()["outputs"]["Patient"]
    assert {p["patientId"] for p in golden} == {r["id"] for r in rows}
    text = "".join(p.read_text() for p in paths.folder.iterdir())
    for row in rows:
        assert row["first_name"] not in text and row["last_name"] not in text
    hooks = hooks_for("valant")
    findings, _ = audit_tree(tmp_path / "recordings", hooks.planted_values(),
                             hooks.scrub_policy())
    assert findings == []

    # once: an existing recording is kept, not re-recorded; new_episodes keeps a current
    # one. Neither runs the flow to find out: the portal sees its public login page only.
    for mode in ("once", "new_episodes"):
        seen = len(sandbox_2026.request_log)
        kept = await record_flow("valant.patients.list", portal_url=sandbox_2026.url,
                                 inputs=INPUTS, scenario="t", mode=mode, settings=settings,
                                 browser=browser)
        assert not kept.recorded and kept.paths == paths
        assert {(e.method, e.path) for e in sandbox_2026.request_log[seen:]} <= {
            ("GET", "/login"), ("GET", "/static/valant-2026.css")}
    # new_episodes records over a stale one
    stale_meta = json.loads(paths.meta.read_text())
    stale_meta["flow_version"] = 0  # as if recorded before the flow's current version
    paths.meta.write_text(json.dumps(stale_meta))
    renewed = await record_flow("valant.patients.list", portal_url=sandbox_2026.url,
                                inputs=INPUTS, scenario="t", mode="new_episodes",
                                settings=settings, browser=browser)
    assert renewed.recorded
    assert paths.load_meta().flow_version == meta.flow_version != 0

    seen_by_portal = len(sandbox_2026.request_log)
    replayed = await replay_recording(paths, settings=settings, browser=browser)
    replayed.assert_matches()
    assert len(sandbox_2026.request_log) == seen_by_portal  # the portal saw nothing
    assert json.loads(json.dumps(replayed.actual)) == paths.load_golden()


async def test_a_patient_born_on_anothers_pseudonymized_birthday_replays_and_keeps_neither(
        devadmin: None, make_sandbox: Any, browser: Browser, tmp_path: Path) -> None:
    """Pseudonymized birth dates move by weeks or months, so in a large practice one
    patient's fake date is often another's real one. Arranged here in both list orders (the
    fake learnt first, and the real one learnt first): the recording replays to its golden,
    and no patient keeps their own date."""
    import sqlite3

    from portwright.recording.scrub import PhiKind, Pseudonymizer

    portal = make_sandbox(ui_version="2026.1")
    listed = "status = 'discharged' ORDER BY last_name, first_name, id"  # the list's order
    rows = portal.query(f"SELECT id, dob FROM patients WHERE {listed}")
    assert len(rows) >= 4
    fake = Pseudonymizer().pseudonym
    # (shifted, born on its pseudonym): rows 0 then 1 in the list, and rows 3 then 2
    pairs = [(rows[0], rows[1]), (rows[3], rows[2])]
    with sqlite3.connect(portal.db_path) as conn:
        for shifted, born in pairs:
            conn.execute("UPDATE patients SET dob = ? WHERE id = ?",
                         (fake(PhiKind.DATE, shifted["dob"]), born["id"]))
    real = {r["id"]: r["dob"] for r in portal.query(f"SELECT id, dob FROM patients WHERE {listed}")}

    settings = load_settings(recordings=tmp_path / "recordings")
    outcome = await record_flow("valant.patients.list", portal_url=portal.url,
                                inputs={"status": "discharged"}, scenario="collide",
                                mode="all", settings=settings, browser=browser)
    golden = {p["patientId"]: p["dob"] for p in outcome.golden["outputs"]["Patient"]}
    assert golden.keys() == real.keys()
    assert [i for i in real if golden[i] == real[i]] == []  # nobody keeps a real date
    for shifted, born in pairs:  # as arranged: one's pseudonym is the other's real date
        assert golden[shifted["id"]] == real[born["id"]] != golden[born["id"]]
    replayed = await replay_recording(outcome.paths, settings=settings, browser=browser)
    replayed.assert_matches()


async def test_nothing_is_saved_when_the_audit_finds_phi(
        devadmin: None, sandbox_2025: Any, browser: Browser, tmp_path: Path) -> None:
    real = hooks_for("valant")

    class BaselineOnly:
        """The real planted values, but a policy that knows nothing of Valant's pages."""

        @staticmethod
        def scrub_policy() -> ScrubPolicy:
            return BASELINE_POLICY

        @staticmethod
        def planted_values() -> Any:
            return real.planted_values()

    settings = load_settings(recordings=tmp_path / "recordings")
    before = _temp_work_dirs()
    with pytest.raises(AuditFailed) as err:
        await record_flow("valant.patients.list", portal_url=sandbox_2025.url,
                          inputs=INPUTS, scenario="t", mode="all", settings=settings,
                          browser=browser,
                          hooks=AdapterHooks("valant", real.package, BaselineOnly()))
    assert "planted value (seeded patient" in str(err.value)
    assert not (tmp_path / "recordings").exists() or not any(
        p.is_file() for p in (tmp_path / "recordings").rglob("*"))
    assert _temp_work_dirs() == before  # raw and staged copies are gone too


async def test_a_cursor_carrying_the_searched_name_is_scrubbed_and_replays(
        devadmin: None, make_sandbox: Any, browser: Browser, tmp_path: Path) -> None:
    from portwright.recording.hooks import PlantedValue
    from portwright.recording.scrub.encoded_json import decode_token, find_tokens

    # enough patients that one last name fills more than the client list's first page
    # (25), so the portal's cursor (base64 JSON of the last row's name and the search) reaches
    # the recording
    portal = make_sandbox(ui_version="2026.1", patients=1500)
    last, count = portal.query("SELECT last_name, COUNT(*) FROM patients GROUP BY last_name "
                               "ORDER BY COUNT(*) DESC, last_name LIMIT 1")[0]
    assert count > 25
    settings = load_settings(recordings=tmp_path / "recordings")
    outcome = await record_flow("valant.patients.list", portal_url=portal.url,
                                inputs={"query": last}, scenario="by-name", mode="all",
                                settings=settings, browser=browser)
    paths = outcome.paths
    texts = {p.name: p.read_text() for p in paths.folder.iterdir()}
    assert "cassette.yaml" in texts  # the later pages went over HTTP from Python
    for name, text in texts.items():
        assert last not in text, name
        assert not [t.text for _, t in find_tokens(text) if last in t.text], name
    # the cursor the cassette sends back is still the portal's shape (base64 JSON of the
    # last row's sort key and id, and the search), with pseudonyms where the name was
    cursors = [decode_token(value) for value in
               re.findall(r"[?&]cursor=([A-Za-z0-9_-]+)", texts["cassette.yaml"])]
    assert cursors and all(c is not None and set(c.data) == {"k", "i", "f", "s"}
                           for c in cursors)
    assert all(c is not None and c.data["f"].split("|")[0] not in ("", last) for c in cursors)
    firsts = {r[0] for r in portal.query("SELECT first_name FROM patients WHERE last_name = ?",
                                          last)}
    assert all(c is not None and c.data["k"][0] not in ("", last)
               and c.data["k"][1] not in firsts for c in cursors)
    findings, _ = audit_tree(tmp_path / "recordings", [PlantedValue("searched name", last)])
    assert findings == []

    replayed = await replay_recording(paths, settings=settings, browser=browser)
    replayed.assert_matches()
    ids = {r[0] for r in portal.query("SELECT id FROM patients WHERE last_name = ?", last)}
    assert {p["patientId"] for p in paths.load_golden()["outputs"]["Patient"]} == ids


@pytest.mark.parametrize("scenario", ["..", "", "../../elsewhere", "a/b", "-rf"])
async def test_a_scenario_that_is_no_folder_name_is_refused_and_nothing_is_replaced(
        devadmin: None, sandbox_2026: Any, browser: Browser, tmp_path: Path,
        scenario: str) -> None:
    """Recording over a scenario replaces its folder: '..' named the flow's folder (every
    UI version and scenario of it) and '' the UI version's, and both were deleted."""
    settings = load_settings(recordings=tmp_path / "recordings")
    kept = tmp_path / "recordings/valant/providers.list/2026.1/all/golden.json"
    kept.parent.mkdir(parents=True)
    kept.write_text("{}\n")
    seen = len(sandbox_2026.request_log)
    with pytest.raises(RecordingError, match="cannot name a recording folder") as caught:
        await record_flow("valant.providers.list", portal_url=sandbox_2026.url,
                          scenario=scenario, mode="all", settings=settings, browser=browser)
    assert repr(scenario) in str(caught.value)
    assert kept.read_text() == "{}\n"
    assert len(sandbox_2026.request_log) == seen  # refused before the portal was asked
