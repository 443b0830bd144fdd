"""The recordings audit: the committed recordings pass; a planted secret or PHI fails it."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.recording.audit import audit_file, audit_tree
from portwright.recording.hooks import hooks_for
from portwright.recording.layout import iter_recordings
from portwright.settings import load_settings

REPO_RECORDINGS = load_settings().path("recordings")


@pytest.fixture(scope="module")
def valant_hooks():  # type: ignore[no-untyped-def]
    return hooks_for("valant")


def test_planted_values_come_from_the_sandbox(valant_hooks) -> None:  # type: ignore[no-untyped-def]
    from portwright_valant.sandbox.auth.accounts import ACCOUNTS

    planted = {p.value for p in valant_hooks.planted_values()}
    assert {a.password for a in ACCOUNTS if a.password} <= planted
    assert {a.totp_secret for a in ACCOUNTS if a.totp_secret} <= planted
    assert sum(1 for p in valant_hooks.planted_values() if "patient name" in p.label) >= 200


def test_committed_recordings_pass(valant_hooks) -> None:  # type: ignore[no-untyped-def]
    recordings = list(iter_recordings(REPO_RECORDINGS, "valant"))
    assert len(recordings) >= 10
    assert {r.ui_version for r in recordings} == {"2025.4", "2026.1"}
    findings, count = audit_tree(REPO_RECORDINGS / "valant", valant_hooks.planted_values(),
                                 valant_hooks.scrub_policy())
    assert count >= 3 * len(recordings)
    assert findings == []


def _copy_one(tmp_path: Path) -> Path:
    source = next(r for r in iter_recordings(REPO_RECORDINGS, "valant")
                  if r.flow == "valant.login" and r.scenario == "totp")
    target = tmp_path / "recordings" / "valant" / "login" / source.ui_version / "totp"
    shutil.copytree(source.folder, target)
    return target


def test_audit_fails_on_a_planted_password_naming_file_and_place(tmp_path: Path) -> None:
    from portwright_valant.sandbox.auth.accounts import ACCOUNTS

    folder = _copy_one(tmp_path)
    password = next(a.password for a in ACCOUNTS if a.username == "admin")
    har_path = folder / "flow.har"
    lines = har_path.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "pw-redacted-password" in line)
    lines[at] = lines[at].replace("pw-redacted-password", password, 1)
    har_path.write_text("\n".join(lines) + "\n")

    result = CliRunner().invoke(app, ["recordings", "audit"],
                                env={"PORTWRIGHT_RECORDINGS": str(tmp_path / "recordings")})
    assert result.exit_code == 1
    assert f"{har_path}:{at + 1}:" in result.output
    assert "password of 'admin'" in result.output
    # edited after scrubbing: a finding with no value to show ends at its rule
    assert f"{har_path}:1:1: content hash differs from meta.json (edited after scrubbing?)\n" \
        in result.output
    assert password not in result.output  # the report itself must not leak it


def test_audit_fails_on_a_planted_patient_name_in_the_golden(tmp_path: Path,
                                                             valant_hooks) -> None:  # type: ignore[no-untyped-def]
    folder = _copy_one(tmp_path)
    name = next(p.value for p in valant_hooks.planted_values() if p.label ==
                "seeded patient name")
    golden = folder / "golden.json"
    golden.write_text(json.dumps({"outputs": {"note": f"seen {name}"}}, indent=2))
    findings = audit_file(golden, valant_hooks.planted_values())
    assert [(f.line, f.rule) for f in findings] == [(3, "planted value (seeded patient name)")]


def test_pattern_rules_catch_secrets_and_phi_but_not_pseudonyms(tmp_path: Path) -> None:
    path = tmp_path / "cassette.yaml"
    path.write_text("\n".join([
        '{"name": "Authorization", "value": "Bearer abcdef0123456789"}',
        '"otpauth://totp/Valant:admin?secret=JBSWY3DP"',
        '"body": "call (503) 241-7788 or mail jo.smith@mail.test"',
        '"ssn": "123-45-6789"',
        '"text": "username=amy&password=hunter22"',
        # what scrubbing writes, which must not be reported
        '{"name": "Authorization", "value": "Bearer pw-redacted-token"}',
        '"phone": "(555) 276-4233", "email": "keimei277@pseudonym.invalid"',
        '"ssn": "000-45-6789", "text": "password=pw-redacted-password"',
    ]))
    rules = {(f.line, f.rule) for f in audit_file(path)}
    assert rules == {(1, "bearer token"), (2, "otpauth URI (TOTP seed)"),
                     (3, "phone number"), (3, "email address"), (4, "SSN-shaped number"),
                     (5, "password field with a value")}


def test_a_damaged_meta_json_fails_the_audit_at_its_position(tmp_path: Path) -> None:
    folder = _copy_one(tmp_path)
    meta = folder / "meta.json"
    meta.write_text('{\n  "portal": "valant",\n  "content_hashes": {\n')

    result = CliRunner().invoke(app, ["recordings", "audit"],
                                env={"PORTWRIGHT_RECORDINGS": str(tmp_path / "recordings")})
    assert result.exit_code == 1
    assert f"{meta}:4:1: meta.json is not valid JSON" in result.output


def test_audit_finds_a_real_patient_name_inside_a_kept_835(tmp_path: Path,
                                                           valant_hooks) -> None:  # type: ignore[no-untyped-def]
    """X12 bodies are kept (scrubbed): the audit must see a name as an 835 writes it,
    LAST*FIRST in capitals, which matches neither "First Last" nor "Last, First"."""
    from portwright_valant.sandbox.config import SandboxConfig
    from portwright_valant.sandbox.database import prepare_database

    source = next(r for r in iter_recordings(REPO_RECORDINGS, "valant")
                  if r.flow == "valant.remittances.download_835")
    target = tmp_path / "rec"
    shutil.copytree(source.folder, target)
    har_path = target / "flow.har"
    har = json.loads(har_path.read_text())
    content = next(e["response"]["content"] for e in har["log"]["entries"]
                   if e["response"]["content"].get("text", "").startswith("ISA"))
    pseudonym = re.search(r"NM1\*QC\*1\*([^*]+\*[^*]+)\*", content["text"])
    assert pseudonym, "the committed 835 names its patients in NM1*QC segments"
    assert audit_file(har_path, valant_hooks.planted_values()) == []

    db = prepare_database(SandboxConfig(db_path=tmp_path / "seed.sqlite3"))
    with sqlite3.connect(db) as conn:
        first, last = conn.execute("SELECT first_name, last_name FROM patients").fetchone()
    content["text"] = content["text"].replace(pseudonym.group(1), f"{last}*{first}".upper())
    har_path.write_text(json.dumps(har, indent=2))

    rules = {f.rule for f in audit_file(har_path, valant_hooks.planted_values())}
    assert rules == {"planted value (seeded patient name in X12)"}


@pytest.mark.parametrize("command", ["audit", "list"])
def test_a_portal_with_no_recordings_is_an_error_not_a_clean_pass(tmp_path: Path,
                                                                  command: str) -> None:
    """``--portal valnt`` must not report "audit passed: 0 file(s)" to a CI job."""
    _copy_one(tmp_path)
    result = CliRunner().invoke(app, ["recordings", command, "--portal", "valnt"],
                                env={"PORTWRIGHT_RECORDINGS": str(tmp_path / "recordings")})
    assert result.exit_code == 1
    assert "no recordings for portal 'valnt'" in result.output
    assert "portals with recordings: valant" in result.output
    assert "passed" not in result.output


def test_an_adapter_planting_only_secrets_gets_a_warning_not_a_clean_phi_verdict(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        valant_hooks) -> None:  # type: ignore[no-untyped-def]
    """A new adapter plants its sign-in secrets only: a clean audit of its recordings found
    no pattern and no planted value, which says nothing about real names or birth dates."""
    from portwright.recording.audit import audit_passed_line, planted_phi_warning
    from portwright.recording.hooks import PlantedValue

    # what a scaffolded adapter plants: each secret from the environment (older ones
    # leave them unmarked), or its credentials marked as such
    monkeypatch.setenv("PORTWRIGHT_SECRET_ACME_PASSWORD", "Acme-Portal-2026!")
    from_env = [PlantedValue("PORTWRIGHT_SECRET_ACME_PASSWORD", "Acme-Portal-2026!")]
    marked = [PlantedValue("password of 'frontdesk'", "another-pass-77", is_secret=True)]
    for planted in (from_env, marked, []):
        assert planted_phi_warning("acme", planted) == (
            "warning: acme: the adapter plants no PHI values: the audit can only find "
            "patterns")
    verdict = audit_passed_line(3, tmp_path, planted_phi=False)
    assert verdict == f"audit passed: 3 file(s) under {tmp_path}, no planted value " \
        "or PHI pattern found"
    assert "no secret or PHI found" not in verdict
    # Valant plants its seeded patients: no warning, the full verdict
    assert planted_phi_warning("valant", valant_hooks.planted_values()) is None
    assert audit_passed_line(3, tmp_path, planted_phi=True).endswith(
        "no secret or PHI found")
