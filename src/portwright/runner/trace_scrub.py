"""Scrubbing a saved Playwright trace (a zip) in place, before anyone can open it.

Two kinds of secret reach a trace. Values the run rendered from ``secrets`` (a password,
an API key) can be anywhere: DOM snapshots, request bodies, action parameters; they are
known, so every encoding of each is blanked in every member, as a whole token and where
it is data (a JSON string, not the digits of a timestamp that happen to contain an
all-digit password or a one-time code: the trace must stay JSON the viewer opens). The
session itself is the other kind: the portal sets its cookie and the browser sends it
back, so the redactor never saw it, yet the trace's network log (``*.network``, one HAR
entry per line) carries it in ``Cookie``/``Set-Cookie`` headers and the parsed
``cookies`` lists. Those are blanked by name, whatever their values, which also covers a
cookie rotated half way through the run.
Form and JSON fields that hold credentials by their name (a CSRF token the page gave, a
password or one-time code) are blanked the same way, in the log's parsed ``params`` and
in the request body the trace keeps as a resource: a value the redactor never saw (a
token, a login run by someone else on the same context) is still caught.

Which names those are is the portal's scrub policy (``scrub_policy.yaml`` of its adapter,
merged over the baseline: the same names a recording scrubs, secret or PHI) on top of
:data:`SECRET_FIELD`, a safety net for credential names no policy lists. A value found
under such a name (in a request, in a ``fill`` of an input so named, in a DOM snapshot's
input) is then blanked wherever else the trace repeats it, as a known secret is: the
action log and the snapshots carry what was typed, not only the request that sent it.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from portwright.runner.trace_secret_tokens import BLANK, SecretTokens

if TYPE_CHECKING:
    from portwright.recording.scrub.policy import ScrubPolicy

__all__ = ["BLANK", "SECRET_FIELD", "SECRET_HEADERS", "TraceFields", "scrub_trace",
           "trace_fields"]

#: headers whose values are credentials, compared lower-case
SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization",
                            "x-csrf-token", "x-xsrf-token"})


#: form or JSON field names that hold credentials: a word of the name (split at ``_``,
#: ``-`` or ``.``) is a credential word (``csrf_token``, ``new_password``), or the whole
#: name is a one-time code's (``code``, ``otp``, ``mfa_code``); ``zip_code`` and
#: ``cpt_code`` are data, and stay readable in a trace
_WORD_START = r"(?:^|[_.-]|(?-i:(?<=[a-z])(?=[A-Z])))"   # also camelCase: csrfToken
_WORD_END = r"(?:$|[_.-]|(?-i:(?=[A-Z])))"
SECRET_FIELD = re.compile(
    _WORD_START + r"(?:password|passwd|pwd|passcode|secret|token|csrf|xsrf)" + _WORD_END
    + r"|^(?:(?:mfa|otp|totp|sms|verification|one_time)[_.-]?)?(?:code|otp|pin)$",
    re.IGNORECASE)


#: Playwright actions whose parameter is text typed into the element of ``selector``
_TYPING_ACTIONS = {"fill": "value", "type": "text", "pressSequentially": "text"}


def _normalized(name: str) -> str:
    from portwright.recording.scrub.policy import normalize_field

    return normalize_field(name)


@dataclass(frozen=True)
class TraceFields:
    """The request fields and headers a trace blanks by name: :data:`SECRET_FIELD` and
    :data:`SECRET_HEADERS`, and the names a scrub policy declares (normalized as the
    policy compares them: ``pin_phrase`` also covers ``pinPhrase``)."""

    names: frozenset[str] = frozenset()
    headers: frozenset[str] = SECRET_HEADERS

    @classmethod
    def of_policy(cls, policy: ScrubPolicy) -> TraceFields:
        """Every field (``fields`` and ``request_fields``, secret or PHI: a trace keeps
        requests only) and header of ``policy``."""
        return cls(frozenset(policy.fields) | frozenset(policy.request_fields),
                   SECRET_HEADERS | frozenset(policy.headers))

    def secret_name(self, name: Any) -> bool:
        return isinstance(name, str) and (SECRET_FIELD.search(name) is not None
                                          or _normalized(name) in self.names)

    def secret_header(self, name: Any) -> bool:
        return str(name).lower() in self.headers

    def names_a_secret(self, selector: Any) -> bool:
        """Whether a Playwright selector names a secret field: by an id, class or
        attribute value (``#pin_phrase``, ``input[name=pin_phrase]``) or a quoted name or
        label (``internal:label="PIN phrase"i``); not by its syntax (``input``, ``name``)."""
        if not isinstance(selector, str):
            return False
        words = re.findall(r"[#.=]\s*([A-Za-z][\w-]*)", selector)
        quoted = [a or b for a, b in re.findall(r'"([^"]*)"|\'([^\']*)\'', selector)]
        return any(self.secret_name(word) for word in words + quoted)


def trace_fields(portal: str | None) -> TraceFields:
    """The fields of ``portal``'s scrub policy (its adapter's, over the baseline); the
    baseline's for a portal no adapter is registered as. An installed adapter whose
    policy cannot be read is its error (``AdapterLoadError``, ``RecordingError``): a
    trace is never scrubbed with less than the policy says."""
    from portwright.adapter import available_adapters
    from portwright.recording.hooks import hooks_for
    from portwright.recording.scrub.policy import BASELINE_POLICY

    if portal is None or portal not in available_adapters():
        return TraceFields.of_policy(BASELINE_POLICY)
    return TraceFields.of_policy(hooks_for(portal).scrub_policy())


@dataclass
class _Blanker:
    """Blanks secret fields by name, and keeps each value it blanked (``found``)."""

    fields: TraceFields
    found: set[str] = field(default_factory=set)

    def blank(self, value: Any) -> str:
        if isinstance(value, str | int) and str(value):
            self.found.add(str(value))
        return BLANK

    def form(self, body: bytes) -> bytes:
        try:
            pairs = parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            return body
        return urlencode([(k, self.blank(v) if self.fields.secret_name(k) else v)
                          for k, v in pairs]).encode()

    def json_fields(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.blank(v) if self.fields.secret_name(k) and isinstance(v, str | int)
                    else self.json_fields(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json_fields(v) for v in value]
        return value

    def json(self, body: bytes) -> bytes:
        try:
            parsed = json.loads(body)
        except ValueError:
            return body
        return json.dumps(self.json_fields(parsed), separators=(",", ":")).encode()

    def url(self, url: str) -> str:
        """``url`` with the values of secret query parameters blanked."""
        parts = urlsplit(url)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        if not any(self.fields.secret_name(k) for k, _ in pairs):
            return url
        query = urlencode([(k, self.blank(v) if self.fields.secret_name(k) else v)
                           for k, v in pairs])
        return urlunsplit(parts._replace(query=query))

    def body_blanker(self, mime: str) -> Callable[[bytes], bytes] | None:
        """The blanker of a request body by the start of its MIME type."""
        return {"application/x-www-form-urlencoded": self.form,
                "application/json": self.json}.get(mime)

    def post_data(self, post: Any, bodies: dict[str, Callable[[bytes], bytes]]) -> None:
        """Blank credential fields of a request body: its parsed ``params``, its inline
        ``text``, and (noted in ``bodies``) the resource file holding it."""
        if not isinstance(post, dict):
            return
        for param in post.get("params") or []:
            if isinstance(param, dict) and self.fields.secret_name(param.get("name")):
                param["value"] = self.blank(param.get("value"))
        mime = str(post.get("mimeType") or "").split(";")[0].strip().lower()
        blank = self.body_blanker(mime)
        if blank is None:
            return
        if isinstance(post.get("text"), str) and post["text"]:
            post["text"] = blank(post["text"].encode()).decode()
        if isinstance(post.get("_file"), str):
            bodies[post["_file"]] = blank

    def message(self, message: Any, bodies: dict[str, Callable[[bytes], bytes]] | None = None
                ) -> None:
        if not isinstance(message, dict):
            return
        if bodies is not None:
            self.post_data(message.get("postData"), bodies)
            if isinstance(message.get("url"), str):
                message["url"] = self.url(message["url"])
            for param in message.get("queryString") or []:
                if isinstance(param, dict) and self.fields.secret_name(param.get("name")):
                    param["value"] = self.blank(param.get("value"))
        for header in message.get("headers") or []:
            if isinstance(header, dict) and self.fields.secret_header(header.get("name", "")):
                header["value"] = BLANK
        for cookie in message.get("cookies") or []:
            if isinstance(cookie, dict) and "value" in cookie:
                cookie["value"] = BLANK

    def network_log(self, data: bytes, bodies: dict[str, Callable[[bytes], bytes]]) -> bytes:
        """Each line of a ``*.network`` member, with the credential headers and fields of
        its HAR entry blanked; a line that is not such an entry is kept as it is. Request
        bodies kept as resources are noted in ``bodies`` (resource name → blanker)."""
        lines = []
        for line in data.split(b"\n"):
            try:
                event = json.loads(line)
            except ValueError:
                lines.append(line)
                continue
            snapshot = event.get("snapshot") if isinstance(event, dict) else None
            if isinstance(snapshot, dict):
                self.message(snapshot.get("request"), bodies)
                self.message(snapshot.get("response"))
                line = json.dumps(event, separators=(",", ":")).encode()
            lines.append(line)
        return b"\n".join(lines)

    def snapshot_html(self, html: Any) -> None:
        """Blank the value a DOM snapshot keeps of each input named as a secret field
        (``["INPUT", {"name": "pin_phrase", "__playwright_value_": ...}, ...]``); walked
        without recursion, as a page may nest deeper than Python recurses."""
        stack = [html]
        while stack:
            node = stack.pop()
            if not isinstance(node, list):
                continue
            if len(node) > 1 and isinstance(node[0], str) and isinstance(node[1], dict):
                attrs = node[1]
                if "__playwright_value_" in attrs and any(
                        self.fields.secret_name(attrs.get(key)) for key in ("name", "id")):
                    attrs["__playwright_value_"] = self.blank(attrs["__playwright_value_"])
            stack.extend(node)

    def action_log(self, data: bytes) -> bytes:
        """Each line of a ``*.trace`` member, with the text typed into a secret field
        (``fill`` of ``#pin_phrase``) and such inputs' values in snapshots blanked."""
        lines = []
        for line in data.split(b"\n"):
            if b'"method":"' not in line and b"__playwright_value_" not in line:
                lines.append(line)   # most lines: no typing, no input value
                continue
            try:
                event = json.loads(line)
            except ValueError:
                lines.append(line)
                continue
            if not isinstance(event, dict):
                lines.append(line)
                continue
            params = event.get("params")
            typed = _TYPING_ACTIONS.get(str(event.get("method")))
            changed = False
            if typed and isinstance(params, dict) and typed in params \
                    and self.fields.names_a_secret(params.get("selector")):
                params[typed] = self.blank(params[typed])
                changed = True
            snapshot = event.get("snapshot")
            if event.get("type") == "frame-snapshot" and isinstance(snapshot, dict):
                before = len(self.found)
                self.snapshot_html(snapshot.get("html"))
                changed = changed or len(self.found) != before
            lines.append(json.dumps(event, separators=(",", ":")).encode() if changed
                         else line)
        return b"\n".join(lines)


def scrub_trace(path: Path, secrets: list[bytes], *, portal: str | None = None,
                fields: TraceFields | None = None) -> None:
    """Blank session credentials, every known secret and the fields ``portal``'s scrub
    policy names (:func:`trace_fields`, or ``fields`` when the caller resolved them
    already) out of the trace at ``path``.

    A trace that cannot be scrubbed, whatever the reason (the adapter's policy does not
    load, the zip is damaged, writing the scrubbed copy fails), is deleted with its
    half-written copy before the error is raised: it is never left on disk as
    Playwright wrote it.
    """
    if not path.exists():
        return
    tmp = path.with_suffix(".scrubbing")
    try:
        _scrub(path, tmp, secrets, fields if fields is not None else trace_fields(portal))
    except BaseException:
        tmp.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        raise


def _scrub(path: Path, tmp: Path, secrets: list[bytes], fields: TraceFields) -> None:
    """Write the scrubbed trace to ``tmp``, then move it over ``path``."""
    blanker = _Blanker(fields)
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    bodies: dict[str, Callable[[bytes], bytes]] = {}
    members = [(info, blanker.network_log(data, bodies)
                if info.filename.endswith(".network") else data) for info, data in members]
    scrubbed = []
    for info, data in members:
        blank = bodies.get(info.filename) or bodies.get(info.filename.split("/")[-1])
        if blank is not None:
            data = blank(data)
        if info.filename.endswith(".trace"):
            data = blanker.action_log(data)
        scrubbed.append((info, data))
    tokens = SecretTokens.of(secrets, blanker.found)
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in scrubbed:
            if tokens is not None:
                data = tokens.member(info.filename, data)
            dst.writestr(info, data)
    tmp.replace(path)
