"""Scrub one recording: learn every secret and PHI value, then replace it everywhere.

A ``Scrubber`` is made per recording. ``learn_*`` methods walk the HAR, the cassette, the
golden output and the inputs, filling the value table; ``scrub_*`` methods then return
scrubbed copies. This module knows values and the notations they travel in (text, JSON,
forms, URLs, headers, cookies, HTML inputs); what hides inside base64 tokens and
compressed bodies is decoded by ``encoded_values``; the container formats are walked by
``har_entries`` and ``vcr_interactions``, one module each.

Learning everything before replacing anything is what keeps a value consistent across
parts: a name seen only in a JSON response is still replaced in the HTML page that shows
it and in the golden output.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from portwright.recording.scrub.detectors import detect_phi
from portwright.recording.scrub.encoded_json import decode_token, rescrub_token
from portwright.recording.scrub.encoded_values import learn_encoded, scrub_encoded
from portwright.recording.scrub.entity_fields import EntityPhi, entity_phi
from portwright.recording.scrub.har_entries import learn_har, scrub_har
from portwright.recording.scrub.kinds import PLACEHOLDERS, Kind, SecretKind
from portwright.recording.scrub.policy import ScrubPolicy, normalize_field
from portwright.recording.scrub.pseudonymizer import Pseudonymizer
from portwright.recording.scrub.values import ValueTable
from portwright.recording.scrub.vcr_interactions import (
    learn_cassette,
    scrub_cassette,
    scrub_vcr_request,
    scrub_vcr_response,
)
from portwright.recording.scrub.x12_bodies import learn_x12, looks_like_x12, scrub_x12

__all__ = ["Scrubber"]

_TAG = re.compile(r"<[A-Za-z][^>]*>")
_ATTR = re.compile(r"([A-Za-z_:][\w:.-]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.S | re.I)


class Scrubber:
    """Policy + pseudonymizer + the value table of one recording."""

    def __init__(self, policy: ScrubPolicy, pseudonymizer: Pseudonymizer | None = None) -> None:
        self.policy = policy
        # the policy's avoided dates and names (planted birth dates and names), each read
        # only if a date or a name is met
        self.table = ValueTable(pseudonymizer or Pseudonymizer(
            avoid_dates=policy.avoided_dates, avoid_names=policy.avoided_names))

    # ====================================================================== learning
    def learn_value(self, kind: Kind, value: str) -> None:
        self.table.add(kind, value)

    def learn_text(self, text: str, mime: str = "text/plain") -> None:
        """Learn from a text body: policy patterns, PHI shapes, HTML inputs, JSON, forms."""
        if not text:
            return
        low = mime.lower()
        learn_x12(text, self.learn_value, self.table.add_name_pair)  # no-op unless X12
        if "json" in low:
            with contextlib.suppress(ValueError):
                self.learn_json(json.loads(text))
        elif "x-www-form-urlencoded" in low:
            self.learn_form(text)
        if "html" in low or "<input" in text:
            self._learn_html(text)
        for pattern in self.policy.text_patterns:
            for kind, value in pattern.matches(text, self.policy):
                if kind is not None:
                    self.learn_value(kind, html.unescape(value))
        for kind, value in detect_phi(text, self.policy.allowed_email_domains):
            self.learn_value(kind, value)
        learn_encoded(self, text)  # base64 of text or JSON anywhere in it

    def learn_json(self, data: Any, *, of_organisation: bool = False) -> None:
        """Learn from JSON: the policy's fields, and the PHI fields of every record shaped
        like one of portwright's entities (``entity_fields``) whatever the policy says,
        except in an organisation's part (a site's address: ``of_organisation``)."""
        if isinstance(data, dict):
            entity = entity_phi(data, of_organisation=of_organisation)
            self._learn_pairs(data, entity)
            for key, value in data.items():
                kind = self._json_field_kind(str(key), entity)
                if kind is not None and isinstance(value, str | int) and not isinstance(
                        value, bool):
                    self.learn_value(kind, str(value))
                else:
                    self.learn_json(value, of_organisation=entity is not None
                                    and entity.holds_organisation_part(str(key)))
        elif isinstance(data, list):
            for item in data:
                self.learn_json(item, of_organisation=of_organisation)
        elif isinstance(data, str):
            if (token := decode_token(data)) is not None:
                self.learn_json(token.data)  # a cursor or state token hiding JSON
            else:
                learn_encoded(self, data)  # base64 inside a longer string, or of text
            for kind, value in detect_phi(data, self.policy.allowed_email_domains):
                self.learn_value(kind, value)
            for pattern in self.policy.text_patterns:
                for kind, found in pattern.matches(data, self.policy):
                    if kind is not None:
                        self.learn_value(kind, found)

    def learn_form(self, text: str) -> None:
        pairs = parse_qsl(text, keep_blank_values=True)
        self.learn_keyed(pairs)
        for _, value in pairs:
            for kind, found in detect_phi(value, self.policy.allowed_email_domains):
                self.learn_value(kind, found)

    def learn_url(self, url: str) -> None:
        parts = urlsplit(url)
        self.learn_form(parts.query)
        for pattern in self.policy.path_patterns:
            for kind, value in pattern.matches(parts.path, self.policy):
                if kind is not None:
                    self.learn_value(kind, value)
        learn_encoded(self, parts.path)
        learn_encoded(self, parts.fragment)

    def learn_headers(self, headers: list[dict[str, Any]]) -> None:
        for header in headers:
            name, value = str(header.get("name", "")), str(header.get("value", ""))
            low = name.lower()
            if low == "cookie":
                for cookie_name, cookie_value in _parse_cookie_header(value):
                    self.learn_cookie(cookie_name, cookie_value)
            elif low == "set-cookie":
                for line in value.split("\n"):
                    cookie_name, _, rest = line.partition("=")
                    self.learn_cookie(cookie_name.strip(), rest.split(";", 1)[0])
            elif (kind := self.policy.header_kind(name)) is not None:
                credential = value.split(" ", 1)[1] if " " in value else value
                self.learn_value(kind, credential)
            elif low in ("location", "referer"):
                self.learn_url(value)
            else:
                learn_encoded(self, value)  # a base64 header value hiding text

    def learn_har(self, har: dict[str, Any]) -> None:
        learn_har(self, har)

    def learn_cassette(self, cassette: dict[str, Any]) -> None:
        learn_cassette(self, cassette)

    def learn_cookie(self, name: str, value: str) -> None:
        """A cookie's value, if the policy calls the cookie secret or PHI."""
        kind = self.policy.cookie_kind(name)
        if kind is not None and value:
            self.learn_value(kind, value)
        learn_encoded(self, value)  # what a base64 cookie holds may show elsewhere

    def learn_keyed(self, pairs: list[tuple[str, str]]) -> None:
        """Named values (form fields, query parameters), by the policy's field names."""
        self._learn_pairs(dict(pairs))
        for name, value in pairs:
            kind = self.policy.request_field_kind(name)
            if kind is not None:
                self.learn_value(kind, value)
            if (token := decode_token(value)) is not None:
                self.learn_json(token.data)  # a cursor or state token hiding JSON
            else:
                learn_encoded(self, value)  # base64 of text (an export reference)

    def _learn_pairs(self, record: dict[Any, Any], entity: EntityPhi | None = None) -> None:
        keys = {normalize_field(str(k)): v for k, v in record.items()}
        pairs = self.policy.name_pair_keys()
        if entity is not None:
            pairs += [(normalize_field(a), normalize_field(b)) for a, b in entity.name_pairs]
        for first, last in pairs:
            a, b = keys.get(first), keys.get(last)
            if isinstance(a, str) and isinstance(b, str):
                self.table.add_name_pair(a, b)

    def _json_field_kind(self, key: str, entity: EntityPhi | None) -> Kind | None:
        """The kind of a JSON record's key: the adapter's policy first, then the PHI field
        of the entity the record is shaped like, if any."""
        kind = self.policy.field_kind(key)
        if kind is None and entity is not None:
            return entity.kinds.get(key)
        return kind

    def _learn_html(self, text: str) -> None:
        for tag in _TAG.finditer(text):
            attrs = {m.group(1).lower(): html.unescape(m.group(2) if m.group(2) is not None
                                                       else m.group(3) or "")
                     for m in _ATTR.finditer(tag.group(0))}
            if "name" in attrs and "value" in attrs:
                kind = self.policy.request_field_kind(attrs["name"])
                if kind is not None:
                    self.learn_value(kind, attrs["value"])
            for attr, value in attrs.items():
                if attr.startswith("data-") and (kind := self.policy.field_kind(attr[5:])):
                    self.learn_value(kind, value)
        for match in _TEXTAREA.finditer(text):
            name = re.search(r"name=[\"']([^\"']+)", match.group(1))
            if name and (kind := self.policy.request_field_kind(name.group(1))):
                self.learn_value(kind, html.unescape(match.group(2)))

    # ===================================================================== scrubbing
    def scrub_text(self, text: str) -> str:
        """Any text: learned values replaced, and the JSON or text inside its base64
        tokens scrubbed and encoded back (``encoded_values``)."""
        return scrub_encoded(self, text)

    def scrub_json(self, data: Any) -> Any:
        """A scrubbed copy: policy fields and entities' PHI fields replaced by kind, every
        other string by table."""
        if isinstance(data, dict):
            out: dict[Any, Any] = {}
            entity = entity_phi(data)
            for key, value in data.items():
                kind = self._json_field_kind(str(key), entity)
                if kind is not None and isinstance(value, str | int) and not isinstance(
                        value, bool):
                    out[key] = self._replace(kind, value)
                else:
                    out[key] = self.scrub_json(value)
            return out
        if isinstance(data, list):
            return [self.scrub_json(item) for item in data]
        if isinstance(data, str):
            return self._scrub_string(data)
        return data

    def _scrub_string(self, value: str) -> str:
        """A plain string value: the JSON inside a base64 token scrubbed (same encoding),
        any other text through the value table."""
        rescrubbed = rescrub_token(value, self.scrub_json)
        return rescrubbed if rescrubbed is not None else self.scrub_text(value)

    def scrub_form(self, text: str) -> str:
        pairs = parse_qsl(text, keep_blank_values=True)
        return urlencode([(k, self.scrub_keyed(k, v)) for k, v in pairs], quote_via=quote)

    def scrub_url(self, url: str) -> str:
        parts = urlsplit(url)
        query = self.scrub_form(parts.query) if parts.query else ""
        return urlunsplit((parts.scheme, parts.netloc, self.scrub_text(parts.path), query,
                           self.scrub_text(parts.fragment)))

    def scrub_body(self, text: str, mime: str) -> str:
        low = mime.lower()
        if "json" in low:
            try:
                return json.dumps(self.scrub_json(json.loads(text)), ensure_ascii=False)
            except ValueError:
                return self.scrub_text(text)
        if "x-www-form-urlencoded" in low:
            return self.scrub_form(text)
        if looks_like_x12(text):
            return scrub_x12(text, self.table)
        text = self.scrub_text(text)
        if "html" in low:
            text = self._scrub_html_inputs(text)
        return text

    def scrub_headers(self, headers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for header in headers:
            name, value = str(header.get("name", "")), str(header.get("value", ""))
            out.append({**header, "value": self.scrub_header(name, value)})
        return out

    def scrub_har(self, har: dict[str, Any]) -> dict[str, Any]:
        """A scrubbed copy of a HAR (learn it first, with everything else recorded)."""
        return scrub_har(self, har)

    def scrub_cassette(self, cassette: dict[str, Any]) -> dict[str, Any]:
        """A scrubbed copy of a vcrpy cassette (learn it first)."""
        return scrub_cassette(self, cassette)

    def scrub_vcr_request(self, request: dict[str, Any]) -> dict[str, Any]:
        """In place, on vcrpy's serialized request shape (uri, headers, body)."""
        return scrub_vcr_request(self, request)

    def scrub_vcr_response(self, response: dict[str, Any]) -> dict[str, Any]:
        """In place, on vcrpy's serialized response shape (headers, body.string)."""
        return scrub_vcr_response(self, response)

    def _replace(self, kind: Kind, value: str | int) -> str | int:
        if isinstance(kind, SecretKind):
            return PLACEHOLDERS[kind]
        if str(value).strip() not in self.table.kinds:
            # not learned as a whole (the traffic it came from was not learnt from):
            # replace whatever learned values it holds
            return self.scrub_text(value) if isinstance(value, str) else value
        fake = self.table.add(kind, str(value))
        if isinstance(value, int):
            return int(fake) if fake.isdigit() else fake
        return fake

    def scrub_keyed(self, name: str, value: str) -> str:
        """A named value (form field, query parameter): a placeholder if the name is a
        secret's, else scrubbed as any string."""
        kind = self.policy.request_field_kind(name)
        if isinstance(kind, SecretKind) and value:
            return PLACEHOLDERS[kind]
        return self._scrub_string(value)

    def scrub_header(self, name: str, value: str) -> str:
        """One header's value: cookies one by one, credentials kept with their scheme,
        URLs part by part, anything else through the value table."""
        low = name.lower()
        if low == "cookie":
            return "; ".join(f"{k}={self.scrub_cookie(k, v)}"
                             for k, v in _parse_cookie_header(value))
        if low == "set-cookie":
            lines = []
            for line in value.split("\n"):
                cookie_name, _, rest = line.partition("=")
                cookie_value, sep, attrs = rest.partition(";")
                scrubbed = self.scrub_cookie(cookie_name.strip(), cookie_value)
                lines.append(f"{cookie_name}={scrubbed}{sep}{attrs}")
            return "\n".join(lines)
        kind = self.policy.header_kind(name)
        if isinstance(kind, SecretKind):
            scheme = value.split(" ", 1)[0] + " " if " " in value else ""
            return scheme + PLACEHOLDERS[kind]
        if low in ("location", "referer", "content-location"):
            return self.scrub_url(value) if "://" in value or value.startswith("/") else \
                self.scrub_text(value)
        return self.scrub_text(value)

    def scrub_cookie(self, name: str, value: str) -> str:
        """One cookie's value: a placeholder if the policy calls the cookie secret."""
        kind = self.policy.cookie_kind(name)
        if isinstance(kind, SecretKind):
            return PLACEHOLDERS[kind] if value else value
        return self.scrub_text(value)

    def _scrub_html_inputs(self, text: str) -> str:
        def tag(match: re.Match[str]) -> str:
            source = match.group(0)
            name = re.search(r"\bname\s*=\s*[\"']([^\"']+)", source)
            kind = self.policy.request_field_kind(name.group(1)) if name else None
            if not isinstance(kind, SecretKind):
                return source
            return re.sub(r"(\bvalue\s*=\s*)([\"'])[^\"']*\2",
                          lambda m: f"{m.group(1)}{m.group(2)}{PLACEHOLDERS[kind]}{m.group(2)}",
                          source)

        return re.sub(r"<input\b[^>]*>", tag, text, flags=re.I)


def _parse_cookie_header(value: str) -> list[tuple[str, str]]:
    pairs = []
    for part in value.split(";"):
        name, sep, val = part.strip().partition("=")
        if sep:
            pairs.append((name, val))
    return pairs
