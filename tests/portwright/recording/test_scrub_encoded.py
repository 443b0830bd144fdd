"""PHI and secrets inside the encodings the audit decodes (plain base64 of text or JSON
in a header, a body, a URL parameter or a longer string; a gzip or deflate body stored as
text) are scrubbed at record time: the audit then passes on the recording instead of
refusing it, the pseudonym inside is the one the same patient has everywhere else, and the
value is encoded back the way it came, so the consumer can still read it. Base64 that
merely looks like text (signatures, session ids, hashes) is left byte for byte."""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from ruamel.yaml import YAML

from portwright.recording.audit import audit_file
from portwright.recording.hooks import PlantedValue
from portwright.recording.scrub import (
    BASELINE_POLICY,
    PLACEHOLDERS,
    Scrubber,
    ScrubPolicy,
    SecretKind,
)

POLICY = BASELINE_POLICY.merged(ScrubPolicy.model_validate({
    "fields": {"first_name": "name", "last_name": "name"},
    "name_pairs": [["first_name", "last_name"]],
}))
FIRST, LAST = "Marisol", "Vantongeren"
NAME = f"{FIRST} {LAST}"
PASSWORD = "Quartz-Lantern-582"
PLANTED = [PlantedValue("seeded patient name", NAME),
           PlantedValue("seeded patient name", LAST),
           PlantedValue("password of 'admin'", PASSWORD)]
PLACEHOLDER = PLACEHOLDERS[SecretKind.PASSWORD]
#: what the flow extracted: the same patient, so its pseudonym is the one to expect
GOLDEN = {"patient": {"first_name": FIRST, "last_name": LAST}}

_STANDARD = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_URLSAFE_UNPADDED = re.compile(r"[A-Za-z0-9_-]+")


# ---------------------------------------------------------------------------- encodings
def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _b64url(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _gzip(text: str) -> str:
    """Compressed bytes as a non-browser tool stores them in a text field: a character
    per byte."""
    return gzip.compress(text.encode(), mtime=0).decode("latin-1")


def _deflate(text: str) -> str:
    return zlib.compress(text.encode()).decode("latin-1")


def _from_b64(token: str) -> str:
    """Standard base64, padded, as the original was: its text."""
    assert _STANDARD.fullmatch(token) and len(token) % 4 == 0, token
    return base64.b64decode(token, validate=True).decode("utf-8")


def _from_b64url(token: str) -> str:
    """URL-safe base64 without padding, as the original was: its text."""
    assert _URLSAFE_UNPADDED.fullmatch(token), token
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8")


def _from_gzip(stored: str) -> str:
    assert stored.startswith("\x1f\x8b")  # still gzip, a character per byte
    return gzip.decompress(stored.encode("latin-1")).decode("utf-8")


def _from_deflate(stored: str) -> str:
    assert stored.startswith("\x78\x9c")  # still a zlib stream, default level
    return zlib.decompress(stored.encode("latin-1")).decode("utf-8")


# ---------------------------------------------------------------------------- recordings
def _entry(url: str, body: str = "ok", mime: str = "text/plain",
           headers: list[dict[str, str]] | None = None, posted: str | None = None,
           response_headers: list[dict[str, str]] | None = None) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": "POST" if posted is not None else "GET", "url": url,
        "headers": headers or [],
        "queryString": [{"name": k, "value": v[0]}
                        for k, v in parse_qs(urlsplit(url).query).items()]}
    if posted is not None:
        request["postData"] = {"mimeType": "application/x-www-form-urlencoded",
                               "text": posted}
    return {"request": request, "response": {
        "status": 200, "headers": response_headers or [],
        "content": {"mimeType": mime, "text": body}}}


def _har(*extra: dict[str, Any]) -> dict[str, Any]:
    """A login (the password, by field name) and the patient's record (the name, by
    field names), then the entries of the case."""
    return {"log": {"version": "1.2", "entries": [
        _entry("https://portal.test/login", posted=f"username=admin&password={PASSWORD}"),
        _entry("https://portal.test/api/patients/7",
               json.dumps({"firstName": FIRST, "lastName": LAST}), "application/json"),
        *extra]}}


def _cassette(*, body: str = "ok", headers: dict[str, list[str]] | None = None
              ) -> dict[str, Any]:
    return {"version": 1, "interactions": [{
        "request": {"method": "POST", "uri": "https://api.test/messages", "body": None,
                    "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": headers or {},
                     "body": {"string": body}}}]}


@dataclass
class Scrubbed:
    har: dict[str, Any]
    cassette: dict[str, Any] | None
    pseudonym: str  # the patient's full name as the golden output has it

    def entry(self, index: int = -1) -> dict[str, Any]:
        entry: dict[str, Any] = self.har["log"]["entries"][index]
        return entry

    def response_header(self) -> str:
        return str(self.cassette["interactions"][0]["response"]["headers"]["X-Auth"][0]
                   if self.cassette else "")


def _record(folder: Path, har: dict[str, Any], cassette: dict[str, Any] | None = None
            ) -> Scrubbed:
    """Scrub and write the recording as the recorder does (one scrubber for the HAR, the
    cassette and the golden output), and assert the audit passes on every file."""
    scrubber = Scrubber(POLICY)
    scrubber.learn_har(har)
    if cassette is not None:
        scrubber.learn_cassette(cassette)
    scrubber.learn_json(GOLDEN)
    scrubbed_har = scrubber.scrub_har(har)
    (folder / "flow.har").write_text(json.dumps(scrubbed_har, indent=1, ensure_ascii=False)
                                     + "\n", encoding="utf-8")
    scrubbed_cassette = None
    yaml = YAML(typ="safe", pure=True)
    if cassette is not None:
        scrubbed_cassette = scrubber.scrub_cassette(cassette)
        with (folder / "cassette.yaml").open("w", encoding="utf-8") as fh:
            yaml.dump(scrubbed_cassette, fh)
        # what replay reads back: the same values
        assert yaml.load((folder / "cassette.yaml").read_text(encoding="utf-8")) \
            == scrubbed_cassette
    golden = scrubber.scrub_json(GOLDEN)
    (folder / "golden.json").write_text(json.dumps(golden, ensure_ascii=False),
                                        encoding="utf-8")
    findings = [f for path in sorted(folder.iterdir())
                for f in audit_file(path, PLANTED, POLICY)]
    assert findings == [], "\n".join(map(str, findings))
    pseudonym = f"{golden['patient']['first_name']} {golden['patient']['last_name']}"
    assert FIRST not in pseudonym and LAST not in pseudonym
    record = json.loads(scrubbed_har["log"]["entries"][1]["response"]["content"]["text"])
    assert f"{record['firstName']} {record['lastName']}" == pseudonym  # HAR == golden
    return Scrubbed(scrubbed_har, scrubbed_cassette, pseudonym)


@dataclass(frozen=True)
class Case:
    """A recording holding the name and the password one encoded way, and how to read
    the scrubbed value back (checking that it is still encoded that way)."""

    har: dict[str, Any]
    cassette: dict[str, Any] | None
    read: Callable[[Scrubbed], str]
    expected: Callable[[str], str]  # the scrubbed content, from the pseudonym


def _fields(form: str) -> str:
    """A form's fields, whichever way it writes a space."""
    return json.dumps(parse_qsl(form))


def _query(url: str, name: str) -> str:
    return parse_qs(urlsplit(url).query)[name][0]


CASES: dict[str, Case] = {
    "base64-form-response-body": Case(
        _har(_entry("https://portal.test/export/1",
                    _b64(f"patient={FIRST}+{LAST}&password={PASSWORD}"))),
        None,
        lambda s: _from_b64(s.entry()["response"]["content"]["text"]),
        lambda fake: f"patient={fake.replace(' ', '+')}&password={PLACEHOLDER}"),
    "base64-text-request-header": Case(
        _har(_entry("https://portal.test/api/chart", headers=[
            {"name": "X-Patient", "value": _b64(f"{NAME} / {PASSWORD}")}])),
        None,
        lambda s: _from_b64(s.entry()["request"]["headers"][0]["value"]),
        lambda fake: f"{fake} / {PLACEHOLDER}"),
    "base64url-query-parameter": Case(
        _har(_entry("https://portal.test/export?ref="
                    + _b64url(f"patient:{NAME}:{PASSWORD}") + "&page=2")),
        None,
        lambda s: _from_b64url(_query(s.entry()["request"]["url"], "ref")),
        lambda fake: f"patient:{fake}:{PLACEHOLDER}"),
    "base64-json-whole-body": Case(
        _har(_entry("https://portal.test/export/2",
                    _b64(json.dumps({"patient": NAME, "password": PASSWORD})))),
        None,
        lambda s: _from_b64(s.entry()["response"]["content"]["text"]),
        lambda fake: json.dumps({"patient": fake, "password": PLACEHOLDER})),
    "base64url-json-inside-a-link": Case(
        _har(_entry("https://portal.test/api/exports", json.dumps({
            "next": "/export?doc=" + _b64url(json.dumps({"patient": NAME,
                                                         "password": PASSWORD}))}),
            "application/json")),
        None,
        lambda s: _from_b64url(_query(json.loads(
            s.entry()["response"]["content"]["text"])["next"], "doc")),
        lambda fake: json.dumps({"patient": fake, "password": PLACEHOLDER})),
    "base64-response-header": Case(
        _har(_entry("https://portal.test/api/chart", response_headers=[
            {"name": "X-Chart-Owner", "value": _b64(f"owner={NAME}")}])),
        None,
        lambda s: _from_b64(s.entry()["response"]["headers"][0]["value"]),
        lambda fake: f"owner={fake}"),
    "raw-gzip-response-body": Case(
        _har(_entry("https://portal.test/chart/7",
                    _gzip(f"<td>{NAME}</td><td>{PASSWORD}</td>"), "text/html")),
        None,
        lambda s: _from_gzip(s.entry()["response"]["content"]["text"]),
        lambda fake: f"<td>{fake}</td><td>{PLACEHOLDER}</td>"),
    "raw-deflate-request-body": Case(
        _har(_entry("https://portal.test/relogin",
                    posted=_deflate(f"user=admin&password={PASSWORD}&name={FIRST}+{LAST}"))),
        None,
        lambda s: _fields(_from_deflate(s.entry()["request"]["postData"]["text"])),
        lambda fake: _fields(f"user=admin&password={PLACEHOLDER}&name={fake}")),
    "raw-gzip-cassette-body": Case(
        _har(),
        _cassette(body=_gzip(json.dumps({"to": NAME, "password": PASSWORD}))),
        lambda s: _from_gzip(str(s.cassette["interactions"][0]["response"]["body"]["string"]
                                 if s.cassette else "")),
        lambda fake: json.dumps({"to": fake, "password": PLACEHOLDER}, ensure_ascii=False)),
    "base64-cassette-header": Case(
        _har(),
        _cassette(headers={"X-Auth": [_b64(f"{PASSWORD}:{NAME}")]}),
        lambda s: _from_b64(s.response_header()),
        lambda fake: f"{PLACEHOLDER}:{fake}"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_encoded_name_and_password_are_scrubbed_and_encoded_back(
        tmp_path: Path, case: str) -> None:
    form = CASES[case]
    encoded = json.dumps(form.har["log"]["entries"][2:]) + json.dumps(form.cassette)
    assert LAST not in encoded and PASSWORD not in encoded  # hidden by the encoding

    scrubbed = _record(tmp_path, form.har, form.cassette)  # the audit passes

    # the value is still encoded the same way, and inside it the patient has the
    # pseudonym of the golden output and the HAR, the password the placeholder
    assert form.read(scrubbed) == form.expected(scrubbed.pseudonym)


def _cursor(data: dict[str, Any]) -> str:
    """As the sandbox makes them: base64url of compact JSON, unpadded, signed."""
    return _b64url(json.dumps(data, separators=(",", ":")))


def test_a_cursor_in_a_next_page_link_is_scrubbed_like_the_one_sent_back(
        tmp_path: Path) -> None:
    """The link a page hands out and the request that follows it carry the same cursor:
    scrubbed, they must still be equal or replay finds no recorded request."""
    signature = hmac.new(b"sandbox", LAST.encode(), hashlib.sha256).hexdigest()[:32]
    cursor = _cursor({"k": [LAST, FIRST], "i": "pat_7", "f": f"{LAST}|active",
                      "s": signature})
    har = _har(
        _entry("https://portal.test/api/patients?q=active", json.dumps(
            {"links": {"next": f"/api/patients?q=active&cursor={cursor}"}}),
            "application/json"),
        _entry(f"https://portal.test/api/patients?q=active&cursor={cursor}", "[]",
               "application/json"))
    scrubbed = _record(tmp_path, har)

    handed_out = _query(json.loads(scrubbed.entry(-2)["response"]["content"]["text"])
                        ["links"]["next"], "cursor")
    sent_back = _query(scrubbed.entry(-1)["request"]["url"], "cursor")
    assert handed_out == sent_back
    first, last = scrubbed.pseudonym.split(" ")
    assert json.loads(_from_b64url(handed_out)) == {
        "k": [last, first], "i": "pat_7", "f": f"{last}|active", "s": signature}


def test_base64_that_only_looks_like_text_is_left_byte_for_byte(tmp_path: Path) -> None:
    """Signatures, session ids, hashes and base64 text with nothing personal in it are
    not rewritten, though the recording holds learned values to scrub elsewhere."""
    rng = random.Random(7)
    signature = base64.b64encode(hmac.new(b"k", b"payload", hashlib.sha256).digest()).decode()
    session = base64.urlsafe_b64encode(rng.randbytes(24)).decode().rstrip("=")
    digest = base64.b64encode(hashlib.sha256(b"export-2026-01").digest()).decode()
    harmless = _b64("Connection: keep-alive")
    plain_cursor = _cursor({"k": [], "i": "pat_9", "f": "|active", "s": "ab12" * 8})
    key = base64.b64encode(rng.randbytes(32)).decode()
    tokens = [signature, session, digest, harmless, plain_cursor, key]
    body = json.dumps({"signature": signature, "sessionId": session, "etag": digest,
                       "note": f"hdr {harmless} and {plain_cursor}", "key": key})
    har = _har(_entry(
        f"https://portal.test/api/exports?sid={session}&cursor={plain_cursor}", body,
        "application/json",
        headers=[{"name": "X-Signature", "value": signature},
                 {"name": "X-Request-Id", "value": f"{digest} {harmless}"}],
        response_headers=[{"name": "X-Key", "value": key}]))
    cassette = _cassette(body=f"<p>{signature} {digest}</p>",
                         headers={"X-Auth": [harmless]})

    scrubbed = _record(tmp_path, har, cassette)

    request, response = scrubbed.entry()["request"], scrubbed.entry()["response"]
    assert request["url"] == har["log"]["entries"][-1]["request"]["url"]
    assert request["headers"] == har["log"]["entries"][-1]["request"]["headers"]
    assert response["headers"] == har["log"]["entries"][-1]["response"]["headers"]
    assert json.loads(response["content"]["text"]) == json.loads(body)
    assert scrubbed.cassette is not None
    assert scrubbed.cassette["interactions"][0]["response"] == cassette["interactions"][0][
        "response"]
    text = json.dumps(scrubbed.har) + json.dumps(scrubbed.cassette)
    assert all(text.count(token) >= 2 for token in tokens)


def test_a_secret_cookie_seen_again_in_a_page_is_its_placeholder_not_a_new_token(
        tmp_path: Path) -> None:
    """A session cookie whose value is base64 of text with the name inside: wherever the
    value shows again it is the session placeholder, as before, not the cookie encoded
    back with a pseudonym (which would still be the real session's value, rewritten)."""
    session = _b64(f"user={NAME}&role=admin")
    har = _har(_entry(
        "https://portal.test/profile", f"<p data-session='{session}'>{NAME}</p>",
        "text/html", headers=[{"name": "Cookie", "value": f"sid={session}"}]))

    scrubbed = _record(tmp_path, har)

    placeholder = PLACEHOLDERS[SecretKind.SESSION_COOKIE]
    entry = scrubbed.entry()
    assert entry["request"]["headers"][0]["value"] == f"sid={placeholder}"
    assert entry["response"]["content"]["text"] == (
        f"<p data-session='{placeholder}'>{scrubbed.pseudonym}</p>")
