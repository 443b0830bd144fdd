"""``portwright recordings audit``: prove that committed recordings hold no secret or PHI.

Scrubbing is the guard; the audit is the check on the guard. It reads every file under
the recordings folder and reports, with file, line and column:

* pattern hits: auth headers and tokens that are not placeholders, ``otpauth://`` URIs,
  JWTs, private keys, provider account ids, password fields with a value, emails outside
  the pseudonym and allowed domains, phone numbers outside the pseudonyms' 555 area code,
  SSN-shaped numbers outside the never-issued ``000`` area;
* planted values: what the adapter's sandbox is known to hold (seeded patient names,
  MRNs, phones, account passwords, TOTP seeds), found verbatim;
* either of those inside a base64-of-JSON token (a paging cursor, a state parameter),
  decoded first;
* content hashes in ``meta.json`` that no longer match (a file edited after scrubbing).

Findings show a masked preview, never the value itself: the audit's own output must not
leak what it found.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from portwright.recording.hooks import PlantedValue
from portwright.recording.layout import META_NAME, file_sha256
from portwright.recording.scrub.bodies import zip_members
from portwright.recording.scrub.detectors import EMAIL_RE, PHONE_RE, SSN_RE, is_fictional_phone
from portwright.recording.scrub.encoded_json import find_tokens
from portwright.recording.scrub.policy import ScrubPolicy
from portwright.recording.scrub.pseudonymizer import PSEUDONYM_EMAIL_DOMAIN

__all__ = ["PATTERN_RULES", "Finding", "audit_file", "audit_tree", "findings_at"]

_PLACEHOLDER = r"pw-redacted"

#: rule name → pattern; a match is a finding
PATTERN_RULES: dict[str, re.Pattern[str]] = {
    "otpauth URI (TOTP seed)": re.compile(r"otpauth://"),
    "bearer token": re.compile(rf"\bBearer\s+(?!{_PLACEHOLDER})[A-Za-z0-9._~+/=-]{{8,}}"),
    "basic-auth credentials": re.compile(rf"\bBasic\s+(?!{_PLACEHOLDER})[A-Za-z0-9+/]{{8,}}=*"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "SMS provider account id": re.compile(r"\bAC[0-9a-f]{32}\b"),
    "password field with a value": re.compile(
        rf"(?i)(?:\\?\"(?:password|passwd)\\?\"\s*:\s*\\?\"(?!{_PLACEHOLDER})[^\"\\]+"
        rf"|\b(?:password|passwd)=(?!{_PLACEHOLDER})[^&\s\"]+)"),
    "cookie value that is not a placeholder": re.compile(
        rf"(?i)\"name\":\s*\"(?:set-)?cookie\",\s*\"value\":\s*\"[^\"=;]+=(?!{_PLACEHOLDER}"
        rf"|;|\")"),
}


@dataclass(frozen=True)
class Finding:
    """One hit: where it is, which rule, and a masked preview of the value."""

    file: Path
    line: int
    column: int
    rule: str
    preview: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: {self.rule}"
        return f"{where}: {self.preview}" if self.preview else where


def findings_at(findings: list[Finding], staged: Path, final: Path, most: int = 20) -> str:
    """Findings in a staged copy, listed (one per line) under the path the file was meant
    to have: the staged name is a temporary file nobody can look up."""
    return "\n  ".join(str(f).replace(str(staged), str(final)) for f in findings[:most])


def _mask(value: str) -> str:
    value = value.strip()
    keep = 2 if len(value) > 6 else 1
    return value[:keep] + "•" * min(len(value) - keep, 12)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def audit_file(path: Path, planted: Iterable[PlantedValue] = (),
               policy: ScrubPolicy | None = None) -> list[Finding]:
    """Every finding in one file, and in the base64 bodies of a HAR (ZIPs opened)."""
    planted = list(planted)
    text = path.read_text(encoding="utf-8", errors="replace")
    findings = audit_text(path, text, planted, policy)
    if path.suffix == ".har":
        findings.extend(_audit_encoded_bodies(path, text, planted, policy))
    return findings


def _audit_encoded_bodies(path: Path, text: str, planted: list[PlantedValue],
                          policy: ScrubPolicy | None) -> list[Finding]:
    """Base64 bodies hide their text from a plain scan: decode them (and open ZIPs)."""
    try:
        entries = json.loads(text).get("log", {}).get("entries", [])
    except json.JSONDecodeError as exc:
        return [Finding(path, exc.lineno, exc.colno, f"HAR is not valid JSON: {exc.msg}", "")]
    except AttributeError:
        return [Finding(path, 1, 1, "HAR is not a JSON object with a log", "")]
    found: list[Finding] = []
    for index, entry in enumerate(entries):
        content = (entry.get("response") or {}).get("content") or {}
        if content.get("encoding") != "base64" or not content.get("text"):
            continue
        raw = base64.b64decode(str(content["text"]))
        members = zip_members(raw)
        parts = members if members is not None else [("body", raw)]
        for name, data in parts:
            where = Path(f"{path}#entries[{index}]" + (f"/{name}" if members else ""))
            found.extend(audit_text(where, data.decode("utf-8", "replace"), planted, policy))
    return found


def audit_text(path: Path, text: str, planted: Iterable[PlantedValue] = (),
               policy: ScrubPolicy | None = None) -> list[Finding]:
    """Every finding in ``text`` (named ``path`` in the findings)."""
    hits: list[tuple[int, str, str]] = []
    for rule, pattern in PATTERN_RULES.items():
        hits.extend((m.start(), rule, m.group(0)) for m in pattern.finditer(text))
    allowed = {PSEUDONYM_EMAIL_DOMAIN, *(policy.allowed_email_domains if policy else [])}
    for m in EMAIL_RE.finditer(text):
        domain = m.group(0).rsplit("@", 1)[1].lower()
        if domain not in allowed and not any(domain.endswith("." + a) for a in allowed):
            hits.append((m.start(), "email address", m.group(0)))
    for m in PHONE_RE.finditer(text):
        if not is_fictional_phone(m.group(0)):
            hits.append((m.start(), "phone number", m.group(0)))
    for m in SSN_RE.finditer(text):
        if not m.group(0).startswith("000"):
            hits.append((m.start(), "SSN-shaped number", m.group(0)))
    for item in planted:
        for variant in {item.value, json.dumps(item.value)[1:-1]}:
            start = text.find(variant)
            while start != -1:
                end = start + len(variant)
                bounded = (start == 0 or not text[start - 1].isalnum()) and (
                    end == len(text) or not text[end].isalnum())
                if bounded:  # MRN-1000 is not a hit inside MRN-10001
                    hits.append((start, f"planted value ({item.label})", variant))
                start = text.find(variant, start + 1)
    findings = []
    for offset, rule, value in sorted(set(hits)):
        line, column = _position(text, offset)
        findings.append(Finding(path, line, column, rule, _mask(value)))
    # a cursor or state token hides its JSON from every search above
    for offset, token in find_tokens(text):
        line, column = _position(text, offset)
        findings.extend(Finding(path, line, column, f"{inner.rule} (in a base64 JSON token)",
                                inner.preview)
                        for inner in audit_text(path, token.text, planted, policy))
    return findings


def _hash_findings(meta_path: Path) -> Iterator[Finding]:
    try:
        hashes = json.loads(meta_path.read_text(encoding="utf-8")).get("content_hashes", {})
    except json.JSONDecodeError as exc:
        yield Finding(meta_path, exc.lineno, exc.colno,
                      f"meta.json is not valid JSON: {exc.msg}", "")
        return
    except AttributeError:
        yield Finding(meta_path, 1, 1, "meta.json is not a JSON object", "")
        return
    for name, expected in hashes.items():
        target = meta_path.parent / name
        if not target.is_file():
            yield Finding(target, 1, 1, "file listed in meta.json is missing", "")
        elif file_sha256(target) != expected:
            yield Finding(target, 1, 1, "content hash differs from meta.json "
                          "(edited after scrubbing?)", "")


def audit_tree(root: Path, planted: Iterable[PlantedValue] = (),
               policy: ScrubPolicy | None = None) -> tuple[list[Finding], int]:
    """Findings in every file under ``root``, and how many files were read."""
    planted = list(planted)
    findings: list[Finding] = []
    count = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        count += 1
        findings.extend(audit_file(path, planted, policy))
        if path.name == META_NAME:
            findings.extend(_hash_findings(path))
    return findings, count
