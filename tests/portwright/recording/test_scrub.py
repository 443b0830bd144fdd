"""Scrubbing crafted HARs and golden outputs: secrets gone, PHI pseudonymized consistently."""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import pytest

from portwright.recording.scrub import (
    BASELINE_POLICY,
    PLACEHOLDERS,
    PhiKind,
    Pseudonymizer,
    Scrubber,
    ScrubPolicy,
    SecretKind,
)
from portwright.recording.scrub.policy import load_policy

POLICY = BASELINE_POLICY.merged(ScrubPolicy.model_validate({
    "fields": {"first_name": "name", "last_name": "name", "dob": "date", "mrn": "mrn",
               "email": "email", "phone": "phone", "member_id": "member_id",
               "username": "secret", "code": "mfa_code", "line1": "address"},
    "name_pairs": [["first_name", "last_name"]],
    "path_patterns": [{"pattern": "AC[0-9a-f]{32}", "kind": "secret"}],
}))

REAL = {"first": "Philippa", "last": "Wexcombe", "dob": "1958-11-23", "mrn": "MRN-48213",
        "email": "p.wexcombe@mail.test", "phone": "+15035550142", "member": "XQZ908812",
        "line1": "4410 Larch Ave"}
SECRETS = {"password": "S3cret-Portal-Pw", "session": "sess-9f8e7d6c5b4a3f2e1d0c",
           "csrf": "csrf-5c1f0a7d9e3b8c2a", "code": "482913", "token": "tok_live_7c6b5a4d3e2f1a0b",
           "sid": "AC0123456789abcdef0123456789abcdef", "user": "frontdesk.amy"}


def _crafted_har() -> dict[str, Any]:
    r = REAL
    api = json.dumps({"patients": [{"firstName": r["first"], "lastName": r["last"],
                                    "dob": r["dob"], "mrn": r["mrn"],
                                    "contact": {"email": r["email"], "phone": r["phone"]},
                                    "insurance": [{"memberId": r["member"]}],
                                    "address": {"line1": r["line1"]}}]}).encode()
    page = (f"<html><head><title>{r['last']}, {r['first']}</title>"
            f'<meta name="csrf-token" content="{SECRETS["csrf"]}"></head><body>'
            f"<td>{r['last']}, {r['first']}</td><td>11/23/1958</td><td>(503) 555-0142</td>"
            f'<input name="email" value="{r["email"]}"><p>Seen on May 12, 2026</p></body></html>')
    return {"log": {"version": "1.2", "pages": [{"title": f"{r['first']} {r['last']}"}],
                    "entries": [
        {"request": {"method": "POST", "url": "https://portal.test/login?next=%2Fhome",
                     "headers": [{"name": "Cookie", "value": f"vl_session={SECRETS['session']}"},
                                 {"name": "Authorization", "value": f"Bearer {SECRETS['token']}"}],
                     "cookies": [{"name": "vl_session", "value": SECRETS["session"]}],
                     "queryString": [{"name": "next", "value": "/home"}],
                     "postData": {"mimeType": "application/x-www-form-urlencoded",
                                  "text": f"username={SECRETS['user']}&password="
                                          f"{SECRETS['password']}&csrf_token={SECRETS['csrf']}"
                                          f"&code={SECRETS['code']}"}},
         "response": {"status": 302, "cookies": [],
                      "headers": [{"name": "Set-Cookie",
                                   "value": f"vl_session={SECRETS['session']}; Path=/; HttpOnly"},
                                  {"name": "Location", "value": "/patients?q=Wexcombe"}],
                      "content": {"mimeType": "text/html", "text": "", "size": 0}}},
        {"request": {"method": "GET", "url": "https://portal.test/patients?q=Wexcombe",
                     "headers": [], "queryString": [{"name": "q", "value": "Wexcombe"}]},
         "response": {"status": 200, "headers": [], "content": {"mimeType": "text/html",
                                                               "text": page}}},
        {"request": {"method": "GET", "url": "https://portal.test/api/patients", "headers": []},
         "response": {"status": 200, "headers": [{"name": "Content-Encoding", "value": "gzip"}],
                      "content": {"mimeType": "application/json", "encoding": "base64",
                                  "text": base64.b64encode(gzip.compress(api)).decode()}}},
        {"request": {"method": "GET", "url": f"https://sms.test/Accounts/{SECRETS['sid']}/M.json",
                     "headers": []},
         "response": {"status": 200, "headers": [], "content": {
             "mimeType": "application/pdf", "encoding": "base64",
             "text": base64.b64encode(b"%PDF-1.4 " + r["last"].encode()).decode()}}},
    ]}}


def _golden() -> dict[str, Any]:
    r = REAL
    return {"outputs": {"patients": [{"firstName": r["first"], "lastName": r["last"],
                                      "dob": r["dob"], "mrn": r["mrn"],
                                      "contact": {"email": r["email"], "phone": r["phone"]},
                                      "insurance": [{"memberId": r["member"]}]}]}}


def _scrub() -> tuple[dict[str, Any], dict[str, Any]]:
    scrubber = Scrubber(POLICY)
    har, golden = _crafted_har(), _golden()
    scrubber.learn_har(har)
    scrubber.learn_json(golden)
    return scrubber.scrub_har(har), scrubber.scrub_json(golden)


def _all_text(har: dict[str, Any]) -> str:
    """The HAR as text, with every base64 body decoded (and un-gzipped) too."""
    parts = [json.dumps(har)]
    for entry in har["log"]["entries"]:
        content = entry["response"]["content"]
        if content.get("encoding") == "base64":
            raw = base64.b64decode(content["text"])
            parts.append((gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode(
                "utf-8", "replace"))
    return "\n".join(parts)


def test_secrets_and_phi_are_gone_from_every_part_of_the_har() -> None:
    har, golden = _scrub()
    text = _all_text(har) + json.dumps(golden)
    for value in [*SECRETS.values(), *REAL.values(), "11/23/1958", "(503) 555-0142", "Wexcombe"]:
        assert value not in text, value


def test_secrets_become_fixed_placeholders() -> None:
    har, _ = _scrub()
    login = har["log"]["entries"][0]
    headers = {h["name"]: h["value"] for h in login["request"]["headers"]}
    assert headers["Cookie"] == f"vl_session={PLACEHOLDERS[SecretKind.SESSION_COOKIE]}"
    assert headers["Authorization"] == f"Bearer {PLACEHOLDERS[SecretKind.TOKEN]}"
    set_cookie = login["response"]["headers"][0]["value"]
    assert set_cookie == f"vl_session={PLACEHOLDERS[SecretKind.SESSION_COOKIE]}; Path=/; HttpOnly"
    body = login["request"]["postData"]["text"]
    assert f"password={PLACEHOLDERS[SecretKind.PASSWORD]}" in body
    assert f"code={PLACEHOLDERS[SecretKind.MFA_CODE]}" in body
    assert f"csrf_token={PLACEHOLDERS[SecretKind.CSRF]}" in body
    assert "/Accounts/pw-redacted/" in har["log"]["entries"][3]["request"]["url"]


def test_pseudonyms_agree_between_html_json_url_and_golden() -> None:
    har, golden = _scrub()
    patient = golden["outputs"]["patients"][0]
    page = har["log"]["entries"][1]["response"]["content"]["text"]
    api = json.loads(har["log"]["entries"][2]["response"]["content"]["text"])["patients"][0]
    assert f"<td>{patient['lastName']}, {patient['firstName']}</td>" in page
    assert f"<title>{patient['lastName']}, {patient['firstName']}</title>" in page
    assert api["firstName"] == patient["firstName"] and api["dob"] == patient["dob"]
    assert api["contact"] == patient["contact"] and api["mrn"] == patient["mrn"]
    assert api["insurance"] == patient["insurance"]
    # the same date in US notation, the same phone in another punctuation
    y, m, d = patient["dob"].split("-")
    assert f"<td>{m}/{d}/{y}</td>" in page
    digits = patient["contact"]["phone"][-10:]
    assert f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" in page
    # the URL and its redirect carry the same fake last name
    assert har["log"]["entries"][1]["request"]["url"].endswith(f"q={patient['lastName']}")
    assert har["log"]["entries"][0]["response"]["headers"][1]["value"] == \
        f"/patients?q={patient['lastName']}"
    assert har["log"]["pages"][0]["title"] == f"{patient['firstName']} {patient['lastName']}"


@pytest.mark.parametrize("first_seen", ["shifted patient", "colliding patient"])
def test_a_real_value_equal_to_another_values_pseudonym_is_scrubbed_too(first_seen: str) -> None:
    """Date pseudonyms shift a date by weeks or months, so in a large practice one
    patient's fake birth date is often another patient's real one. Both must be replaced,
    identically in the traffic and the golden output, whichever patient is learnt first."""
    real_a = "1963-07-04"
    real_b = Pseudonymizer().pseudonym(PhiKind.DATE, real_a)  # B was born on A's fake date
    a = {"first_name": "Philippa", "last_name": "Wexcombe", "dob": real_a}
    b = {"first_name": "Ottoline", "last_name": "Quarrendon", "dob": real_b}
    order = [a, b] if first_seen == "shifted patient" else [b, a]
    body = json.dumps({"patients": order})
    page = "".join(f"<tr><td>{p['last_name']}</td><td>{p['dob']}</td></tr>" for p in order)
    har = {"log": {"entries": [
        {"request": {"method": "GET", "url": "https://portal.test/api/patients", "headers": []},
         "response": {"status": 200, "headers": [],
                      "content": {"mimeType": "application/json", "text": body}}},
        {"request": {"method": "GET", "url": "https://portal.test/patients", "headers": []},
         "response": {"status": 200, "headers": [],
                      "content": {"mimeType": "text/html", "text": page}}}]}}
    golden = {"outputs": {"patients": order}}
    scrubber = Scrubber(POLICY)
    scrubber.learn_har(har)
    scrubber.learn_json(golden)
    scrubbed_har, scrubbed_golden = scrubber.scrub_har(har), scrubber.scrub_json(golden)

    api = json.loads(scrubbed_har["log"]["entries"][0]["response"]["content"]["text"])
    html_page = scrubbed_har["log"]["entries"][1]["response"]["content"]["text"]
    for index, patient in enumerate(scrubbed_golden["outputs"]["patients"]):
        assert patient["dob"] != order[index]["dob"]  # each patient's real date is gone
        assert api["patients"][index]["dob"] == patient["dob"]
        assert f"<td>{patient['last_name']}</td><td>{patient['dob']}</td>" in html_page
    by_name = {p["last_name"]: p["dob"] for p in scrubbed_golden["outputs"]["patients"]}
    assert len(set(by_name.values())) == 2  # and the two stay two different dates


def test_a_long_names_pseudonym_that_is_another_patients_short_name_is_not_replaced_again(
        ) -> None:
    """Short names are replaced only where they stand alone, long ones anywhere; text goes
    through both kinds in one pass, so a long name's pseudonym that happens to be another
    patient's (short) first name stays what the golden output says."""
    import itertools
    import string

    pseudonyms = Pseudonymizer()
    long_name = next(name for name in ("Wex" + "".join(t) for t in itertools.product(
        string.ascii_lowercase, repeat=3)) if len(pseudonyms.pseudonym(PhiKind.NAME, name)) < 6)
    short_name = pseudonyms.pseudonym(PhiKind.NAME, long_name)  # a real first name too
    a = {"first_name": "Philippa", "last_name": long_name}
    b = {"first_name": short_name, "last_name": "Quarrendon"}
    page = "".join(f"<td>{p['first_name']}</td><td>{p['last_name']}</td>" for p in (a, b))
    har = {"log": {"entries": [
        {"request": {"method": "GET", "url": "https://portal.test/patients", "headers": []},
         "response": {"status": 200, "headers": [],
                      "content": {"mimeType": "text/html", "text": page}}}]}}
    golden = {"outputs": {"patients": [a, b]}}
    scrubber = Scrubber(POLICY)
    scrubber.learn_har(har)
    scrubber.learn_json(golden)
    html_page = scrubber.scrub_har(har)["log"]["entries"][0]["response"]["content"]["text"]
    fake_a, fake_b = scrubber.scrub_json(golden)["outputs"]["patients"]
    assert fake_a["last_name"] == short_name != fake_b["first_name"]
    assert html_page == "".join(f"<td>{p['first_name']}</td><td>{p['last_name']}</td>"
                                for p in (fake_a, fake_b))


def test_text_that_only_looks_like_a_short_name_is_kept() -> None:
    scrubber = Scrubber(POLICY)
    scrubber.learn_json({"first_name": "May", "last_name": "Ng"})
    out = scrubber.scrub_text("<td>May</td> Seen on May 12, 2026")
    assert "<td>May</td>" not in out and out.endswith("Seen on May 12, 2026")


def test_gzip_body_is_decompressed_and_unscrubbable_binary_dropped() -> None:
    har, _ = _scrub()
    api = har["log"]["entries"][2]["response"]["content"]
    assert "encoding" not in api and api["text"].startswith("{")
    pdf = har["log"]["entries"][3]["response"]["content"]
    assert pdf["text"] == "" and "dropped" in pdf["comment"]


def test_pseudonyms_are_deterministic_and_keep_formats() -> None:
    a, b = Pseudonymizer(), Pseudonymizer()
    for kind, value in [(PhiKind.NAME, "Philippa"), (PhiKind.DATE, "1958-11-23"),
                        (PhiKind.MRN, "MRN-48213"), (PhiKind.PHONE, "(503) 555-0142"),
                        (PhiKind.EMAIL, "p@x.test"), (PhiKind.SSN, "123-45-6789")]:
        assert a.pseudonym(kind, value) == b.pseudonym(kind, value) != value
    assert Pseudonymizer(key="another").pseudonym(PhiKind.NAME, "Philippa") != \
        a.pseudonym(PhiKind.NAME, "Philippa")
    assert a.pseudonym(PhiKind.DATE, "11/23/1958").count("/") == 2
    fake_phone = a.pseudonym(PhiKind.PHONE, "(503) 555-0142")
    assert fake_phone.startswith("(555) ") and len(fake_phone) == len("(503) 555-0142")
    assert a.pseudonym(PhiKind.MRN, "MRN-48213").startswith("MRN-9")
    assert a.pseudonym(PhiKind.SSN, "123-45-6789").startswith("000-")
    assert a.pseudonym(PhiKind.EMAIL, "p@x.test").endswith("@pseudonym.invalid")


def test_no_learned_value_is_left_and_scrubbing_again_gives_the_same_bytes() -> None:
    """Every value learnt is gone from what is saved, and a fresh scrubber given the same
    traffic writes the same files (re-recording an unchanged portal leaves no diff)."""
    import re

    def scrub() -> tuple[Scrubber, str]:
        scrubber = Scrubber(POLICY)
        har, golden = _crafted_har(), _golden()
        scrubber.learn_har(har)
        scrubber.learn_json(golden)
        return scrubber, json.dumps([scrubber.scrub_har(har), scrubber.scrub_json(golden)])

    scrubber, saved = scrub()
    assert len(scrubber.table.kinds) > 10
    left = [value for value in scrubber.table.kinds
            if re.search(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", saved)]
    assert left == []
    assert scrub()[1] == saved


def test_valant_policy_file_loads_over_the_baseline() -> None:
    from portwright.recording.hooks import hooks_for

    path = hooks_for("valant").policy_path()
    assert path is not None
    policy = load_policy(path)
    assert policy.field_kind("firstName") is PhiKind.NAME
    assert policy.field_kind("password") is SecretKind.PASSWORD  # from the baseline
    assert policy.request_field_kind("code") is SecretKind.MFA_CODE
    # generic names are secrets only in requests, not in a chart or a JSON record
    assert policy.field_kind("state") is None
    assert policy.request_field_kind("state") is SecretKind.TOKEN


def _request_field_har(state: str) -> dict[str, Any]:
    """An SSO round (state in a query, a form input and a form post) and pages where a
    'state' that is no secret appears (an address, a widget's data-state, JSON)."""
    def entry(method: str, url: str, body: str, post: str | None = None,
              mime: str = "text/html") -> dict[str, Any]:
        request: dict[str, Any] = {"method": method, "url": url, "headers": []}
        if post is not None:
            request["postData"] = {"mimeType": "application/x-www-form-urlencoded",
                                   "text": post}
        return {"request": request, "response": {
            "status": 200, "headers": [], "content": {"mimeType": mime, "text": body}}}

    return {"log": {"entries": [
        entry("GET", f"https://idp.test/authorize?client=portal&state={state}",
              f'<form><input type="hidden" name="state" value="{state}"></form>'),
        entry("POST", "https://idp.test/login", "<p>ok</p>", post=f"state={state}&user=x"),
        entry("GET", "https://portal.test/patients/1",
              '<dl><dt>State</dt><dd data-testid="field-state">WA</dd></dl>'
              '<table data-state="loading"></table>'
              '<script>table.dataset.state = "loading";</script>'),
        entry("GET", "https://portal.test/api/patients/1",
              json.dumps({"address": {"city": "Seattle", "state": "WA"}}),
              mime="application/json"),
    ]}}


def _plain_text(har: dict[str, Any]) -> str:
    """URLs, form posts and response bodies of a HAR, as written (not JSON-escaped)."""
    parts = []
    for entry in har["log"]["entries"]:
        parts += [entry["request"]["url"], (entry["request"].get("postData") or {}).get(
            "text", ""), entry["response"]["content"]["text"]]
    return "\n".join(parts)


def test_a_request_field_is_secret_in_requests_and_nowhere_else() -> None:
    policy = BASELINE_POLICY.merged(ScrubPolicy.model_validate({
        "request_fields": {"state": "token"},
        "text_patterns": [{"pattern": 'data-testid="field-(?P<field>[a-z-]+)">(?P<value>'
                           '[^<]+)<'}],
    }))
    state = "st_8Qw2LmZr5Ke1"
    scrubber = Scrubber(policy, Pseudonymizer("k"))
    har = _request_field_har(state)
    scrubber.learn_har(har)
    text = _plain_text(scrubber.scrub_har(har))
    token = PLACEHOLDERS[SecretKind.TOKEN]
    assert state not in text
    assert f"state={token}" in text and f'name="state" value="{token}"' in text
    assert '"field-state">WA<' in text and '"state": "WA"' in text
    assert 'data-state="loading"' in text and 'dataset.state = "loading"' in text


def test_the_same_name_as_a_field_is_secret_everywhere() -> None:
    """Why ``request_fields`` exists: as a plain field, every page's 'state' is a secret."""
    policy = BASELINE_POLICY.merged(ScrubPolicy.model_validate({"fields": {"state": "token"}}))
    scrubber = Scrubber(policy, Pseudonymizer("k"))
    har = _request_field_har("st_8Qw2LmZr5Ke1")
    scrubber.learn_har(har)
    text = _plain_text(scrubber.scrub_har(har))
    assert 'data-state="loading"' not in text and '"state": "WA"' not in text


def test_malformed_policy_names_file_and_field(tmp_path: Any) -> None:
    from portwright.exceptions import RecordingError

    bad = tmp_path / "scrub_policy.yaml"
    bad.write_text("fields:\n  first_name: nmae\n")
    with pytest.raises(RecordingError) as err:
        load_policy(bad)
    assert str(bad) in str(err.value) and "fields.first_name" in str(err.value)


def _zip(files: dict[str, str]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_zip_download_text_members_scrubbed_and_the_audit_looks_inside(tmp_path: Any) -> None:
    import io
    import zipfile

    from portwright.recording.audit import audit_file
    from portwright.recording.hooks import PlantedValue

    packet = _zip({"manifest.json": json.dumps({"mrn": REAL["mrn"], "dob": REAL["dob"]}),
                   "note.txt": f"Seen {REAL['first']} {REAL['last']} today.",
                   "scan.pdf": "%PDF-1.4 binary"})
    har = {"log": {"entries": [{"request": {"method": "GET", "url": "https://p.test/export"},
                                "response": {"status": 200, "headers": [], "content": {
                                    "mimeType": "application/zip", "encoding": "base64",
                                    "text": base64.b64encode(packet).decode()}}}]}}
    planted = [PlantedValue("patient", f"{REAL['first']} {REAL['last']}")]
    raw_path = tmp_path / "raw.har"
    raw_path.write_text(json.dumps(har))
    assert [f.rule for f in audit_file(raw_path, planted)] == ["planted value (patient)"]
    assert "#entries[0]/note.txt" in str(audit_file(raw_path, planted)[0].file)

    scrubber = Scrubber(POLICY)
    scrubber.learn_har(har)
    scrubber.learn_json({"first_name": REAL["first"], "last_name": REAL["last"]})
    scrubbed = scrubber.scrub_har(har)
    body = base64.b64decode(scrubbed["log"]["entries"][0]["response"]["content"]["text"])
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        text = "".join(archive.read(n).decode() for n in names)
    assert names == ["manifest.json", "note.txt"]  # the PDF cannot be scrubbed: left out
    for value in (REAL["mrn"], REAL["dob"], REAL["first"], REAL["last"]):
        assert value not in text
    clean = tmp_path / "clean.har"
    clean.write_text(json.dumps(scrubbed))
    assert audit_file(clean, planted) == []


def test_a_repacked_zip_does_not_carry_the_time_it_was_scrubbed_at() -> None:
    """Scrubbing the same recording again gives the same bytes: re-recording an unchanged
    export leaves no diff, and the packet does not date the recording."""
    import io
    import time
    import zipfile

    packet = _zip({"note.txt": f"Seen {REAL['first']} today."})
    har = {"log": {"entries": [{"request": {"method": "GET", "url": "https://p.test/export"},
                                "response": {"status": 200, "headers": [], "content": {
                                    "mimeType": "application/zip", "encoding": "base64",
                                    "text": base64.b64encode(packet).decode()}}}]}}
    scrubber = Scrubber(POLICY)
    scrubber.learn_har(har)
    body = base64.b64decode(scrubber.scrub_har(har)["log"]["entries"][0]["response"]
                            ["content"]["text"])
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        stamps = {info.date_time[:3] for info in archive.infolist()}
    assert time.localtime()[:3] not in stamps
