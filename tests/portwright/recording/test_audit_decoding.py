"""The audit decodes what hides a planted value from a text search: plain base64 of text
(a header value, a body, a URL parameter) and a gzip or deflate body stored as text
without base64, in a HAR or a cassette; ordinary text that merely looks encodable is not
a finding."""

from __future__ import annotations

import base64
import gzip
import io
import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.recording.hooks import hooks_for


@pytest.fixture(scope="module")
def planted() -> dict[str, str]:
    """A seeded patient's name and the admin's password, as the Valant sandbox plants them."""
    from portwright_valant.sandbox.auth.accounts import ACCOUNTS

    values = hooks_for("valant").planted_values()
    password = next(a.password for a in ACCOUNTS if a.username == "admin")
    assert password is not None
    return {"name": next(p.value for p in values if p.label == "seeded patient name"),
            "password": password}


def _b64(text: str, urlsafe: bool = False) -> str:
    raw = text.encode("utf-8")
    return (base64.urlsafe_b64encode(raw).decode().rstrip("=") if urlsafe
            else base64.b64encode(raw).decode())


def _as_stored(raw: bytes) -> str:
    """Compressed bytes as a non-browser tool stores them in a text field: a character
    per byte."""
    return raw.decode("latin-1")


def _gzip(text: str) -> str:
    return _as_stored(gzip.compress(text.encode(), mtime=0))  # same bytes on every worker


def _har(*, url: str = "http://portal.test/p", body: str = "<p>ok</p>",
         headers: list[dict[str, str]] | None = None,
         posted: str | None = None) -> dict[str, Any]:
    request: dict[str, Any] = {"method": "POST" if posted else "GET", "url": url,
                               "headers": []}
    if posted is not None:
        request["postData"] = {"mimeType": "application/x-www-form-urlencoded",
                               "text": posted}
    return {"log": {"version": "1.2", "entries": [{"request": request, "response": {
        "status": 200, "headers": headers or [],
        "content": {"mimeType": "text/plain", "text": body}}}]}}


def _cassette(*, body: str = "ok", headers: dict[str, list[str]] | None = None) -> str:
    yaml = YAML()
    buffer = io.StringIO()
    yaml.dump({"interactions": [{"request": {"method": "GET", "uri": "http://api.test/m"},
                                 "response": {"status": {"code": 200},
                                              "headers": headers or {},
                                              "body": {"string": body}}}]}, buffer)
    return buffer.getvalue()


def _recording(root: Path, name: str, text: str) -> Path:
    """A clean recording folder (its meta.json in place, no content hashes to differ)
    holding ``name`` with ``text``."""
    folder = root / "recordings" / "valant" / "login" / "2025.4" / "planted"
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps({
        "portal": "valant", "flow": "valant.login", "ui_version": "2025.4",
        "portal_url": "http://127.0.0.1:9"}))
    path = folder / name
    path.write_text(text)
    return path


def _audit(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["recordings", "audit"],
                                env={"PORTWRIGHT_RECORDINGS": str(root / "recordings")})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


#: each form: planted values → (file name, its content: HAR data or cassette text)
PLANTED_FORMS: dict[str, Callable[[dict[str, str]], tuple[str, dict[str, Any] | str]]] = {
    "base64-text-body": lambda v: ("flow.har", _har(body=_b64(f"password={v['password']}"))),
    "base64-header-value": lambda v: ("flow.har", _har(headers=[
        {"name": "X-Patient", "value": _b64(v["name"])}])),
    "base64url-query-parameter": lambda v: ("flow.har", _har(
        url=f"http://portal.test/export?ref={_b64('patient:' + v['name'], urlsafe=True)}")),
    "raw-gzip-response-body": lambda v: ("flow.har", _har(
        body=_gzip(f"<td>{v['name']}</td>"))),
    "raw-deflate-request-body": lambda v: ("flow.har", _har(
        posted=_as_stored(zlib.compress(f"user=admin&password={v['password']}".encode())))),
    "raw-gzip-cassette-body": lambda v: ("cassette.yaml", _cassette(
        body=_gzip(json.dumps({"to": v["name"]})))),
    "base64-cassette-header": lambda v: ("cassette.yaml", _cassette(
        headers={"X-Auth": [_b64(v["password"])]})),
}


@pytest.mark.parametrize("form", list(PLANTED_FORMS))
def test_a_planted_value_in_each_encoded_form_fails_the_audit_naming_the_file(
        tmp_path: Path, planted: dict[str, str], form: str) -> None:
    name, data = PLANTED_FORMS[form](planted)
    text = data if isinstance(data, str) else json.dumps(data, indent=2)
    assert planted["name"] not in text and planted["password"] not in text
    path = _recording(tmp_path, name, text)

    code, output = _audit(tmp_path)
    assert code == 1, output
    *findings, summary = output.splitlines()
    assert summary.startswith("audit FAILED"), output
    assert findings and all(line.startswith(str(path)) for line in findings), output
    assert any("planted value (" in line for line in findings), output
    assert planted["name"] not in output and planted["password"] not in output


def test_the_same_recording_without_the_planted_value_passes(tmp_path: Path) -> None:
    # the control for the test above: the folder itself is clean
    _recording(tmp_path, "flow.har", json.dumps(_har(body=_b64("password=pw-redacted")),
                                                indent=2))
    code, output = _audit(tmp_path)
    assert code == 0, output


def test_text_that_only_looks_encodable_is_not_a_finding(tmp_path: Path) -> None:
    png = base64.b64encode(bytes(range(256)) * 4).decode()
    body = " ".join([
        "Remittance Question getElementById ABCDEFGHIJKLMNOP /api/patients/list",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        _b64("nothing to see here, all is well"), f"data:image/png;base64,{png}",
        "x^2 + y^2", "Q29ubmVjdGlvbjoga2VlcC1hbGl2ZQ=="])
    _recording(tmp_path, "flow.har", json.dumps(_har(
        body=body, headers=[{"name": "X-Body", "value": _gzip("<p>hello</p>")}]), indent=2))
    code, output = _audit(tmp_path)
    assert code == 0, output


def test_a_raw_gzip_body_that_does_not_decompress_is_a_finding_naming_the_file(
        tmp_path: Path) -> None:
    truncated = _gzip("<td>" + "row " * 200 + "</td>")[:16]  # header and a bit
    path = _recording(tmp_path, "flow.har", json.dumps(_har(body=truncated), indent=2))
    code, output = _audit(tmp_path)
    assert code == 1, output
    assert f"{path}:1:1: entries[0]: compressed body cannot be decoded (EOFError" in output


def test_a_raw_gzip_cassette_body_that_does_not_decompress_is_a_finding_too(
        tmp_path: Path) -> None:
    """The same truncated body in a cassette was audited as its raw text and passed: the
    name inside it was never searched."""
    truncated = _gzip("<td>Shawn Thorne " + "row " * 200 + "</td>")[:40]
    path = _recording(tmp_path, "cassette.yaml", _cassette(body=truncated))
    code, output = _audit(tmp_path)
    assert code == 1, output
    assert f"{path}:" in output
    assert "a YAML value (a body) cannot be decoded (EOFError" in output
