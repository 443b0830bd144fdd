"""The audit finds a planted value however a recording spells it, and a malformed HAR is a
finding naming the file, never a traceback."""

from __future__ import annotations

import base64
import gzip
import io
import json
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from portwright.cli.app import app
from portwright.recording.audit import audit_file
from portwright.recording.hooks import PlantedValue

NAME = "Shawn Thorne"
PLANTED = [PlantedValue("seeded patient name", NAME),
           PlantedValue("seeded patient name", "Thorne, Shawn")]
RULE = "planted value (seeded patient name)"


def _har(tmp_path: Path, url: str = "http://portal.test/p", text: str = "<p>ok</p>",
         encoding: str | None = None) -> Path:
    content: dict[str, object] = {"mimeType": "text/html", "text": text}
    if encoding:
        content["encoding"] = encoding
    har = {"log": {"entries": [{"request": {"method": "GET", "url": url},
                                "response": {"status": 200, "content": content}}]}}
    path = tmp_path / "flow.har"
    path.write_text(json.dumps(har, indent=2))
    return path


def _rules(path: Path) -> set[str]:
    return {f.rule for f in audit_file(path, PLANTED)}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.mark.parametrize("token", [
    _b64(json.dumps({"q": NAME}).encode()),                                   # padded
    base64.urlsafe_b64encode(json.dumps({"q": NAME + "?"}).encode()).decode().rstrip("="),
])
def test_a_base64_json_cursor_in_a_url_parameter_is_searched(tmp_path: Path,
                                                              token: str) -> None:
    path = _har(tmp_path, url=f"http://portal.test/patients?cursor={token}&page=2")
    assert _rules(path) == {f"{RULE} (in a base64 JSON token)"}


@pytest.mark.parametrize("raw", [
    gzip.compress(f"<p>{NAME}</p>".encode(), mtime=0),   # no timestamp: same on every worker
    zlib.compress(f"<p>{NAME}</p>".encode()),
], ids=["gzip", "zlib"])
def test_a_compressed_base64_body_is_decompressed_before_the_search(tmp_path: Path,
                                                                     raw: bytes) -> None:
    findings = audit_file(_har(tmp_path, text=_b64(raw), encoding="base64"), PLANTED)
    assert [(str(f.file).endswith("flow.har#entries[0]"), f.rule) for f in findings] == [
        (True, RULE)]


def test_a_zip_inside_a_zip_is_opened(tmp_path: Path) -> None:
    def zipped(name: str, data: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, data)
        return buffer.getvalue()

    body = zipped("inner.zip", zipped("letter.txt", NAME.encode()))
    findings = audit_file(_har(tmp_path, text=_b64(body), encoding="base64"), PLANTED)
    assert [str(f.file).rsplit("#", 1)[1] for f in findings] == [
        "entries[0]/inner.zip/letter.txt"]


@pytest.mark.parametrize("spelling", [
    "Shawn%20Thorne", "Shawn+Thorne", "Shawn&nbsp;Thorne", "SHAWN THORNE", "shawn thorne",
    "Shawn\u00a0Thorne", "Thorne%2C%20Shawn", "Thorne&#44; Shawn", "q=Dr%20Shawn%20Thorne",
])
def test_a_planted_value_is_found_in_any_notation(tmp_path: Path, spelling: str) -> None:
    path = _har(tmp_path, text=f"<td>{spelling}</td>")
    assert _rules(path) == {RULE}


def test_a_longer_name_or_a_pseudonym_is_not_a_hit(tmp_path: Path) -> None:
    path = _har(tmp_path, text="<td>Shawn Thornes</td><td>Ashawn Thorne</td><td>Kei Mei</td>")
    assert _rules(path) == set()


def _dump(data: object) -> str:
    """YAML as the recorder writes a cassette (ruamel), folding strings at 60 columns."""
    yaml = YAML()
    yaml.width = 60
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def test_a_cassette_value_folded_across_lines_is_searched(tmp_path: Path) -> None:
    cassette: dict[str, object] = {}
    for pad in range(80):  # move the name until the fold falls between its two words
        body = json.dumps({"messages": [{"body": "x" * pad + " word" * 12
                                         + f" patient {NAME}, your visit"}]})
        cassette = {"interactions": [{"response": {"body": {"string": body}}}]}
        text = _dump(cassette)
        if NAME not in text and re.search(r"Shawn\n\s*Thorne", text):
            break
    else:
        pytest.fail("no padding folded the name")
    path = tmp_path / "cassette.yaml"
    path.write_text(text)
    assert YAML(typ="safe", pure=True).load(text) == cassette
    assert _rules(path) >= {f"{RULE} (in a YAML value)"}


@pytest.mark.parametrize(("har", "message"), [
    ('{"log": {"entries": [{"response": {"content": {"encoding": "base64", '
     '"text": "abc"}}}]}}', "entries[0]: base64 body cannot be decoded"),
    ('{"log": {"entries": null}}', "HAR is not a JSON object with a log holding a list"),
    ('{"log": []}', "HAR is not a JSON object with a log holding a list"),
    ('[1, 2]', "HAR is not a JSON object with a log holding a list"),
    ('{"log": {"entries": [null, {"response": null}]}}', None),
])
def test_a_malformed_har_is_a_finding_naming_the_file(tmp_path: Path, har: str,
                                                      message: str | None) -> None:
    folder = tmp_path / "recordings" / "valant" / "login" / "2025.4" / "x"
    folder.mkdir(parents=True)
    (folder / "flow.har").write_text(har)
    result = CliRunner().invoke(app, ["recordings", "audit"],
                                env={"PORTWRIGHT_RECORDINGS": str(tmp_path / "recordings")})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if message is not None:
        assert f"{folder / 'flow.har'}:1:1: {message}" in result.output
        assert result.exit_code == 1
