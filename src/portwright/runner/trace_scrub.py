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

from portwright.templating import Redactor

if TYPE_CHECKING:
    from portwright.recording.scrub.policy import ScrubPolicy

__all__ = ["BLANK", "SECRET_FIELD", "SECRET_HEADERS", "TraceFields", "scrub_trace",
           "trace_fields"]

BLANK = "***"

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


#: the shortest value found under a secret name that is also blanked wherever else it
#: appears: a shorter one ("WA", "1") would blank unrelated text all over the trace
MIN_HARVESTED = 4

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


#: what may end right before a value and still leave it standing alone: the escape of a
#: URL (``%3D``), a JSON or JavaScript string (``\u0022``, ``\n``) or an HTML entity
#: (``&amp;``, ``&#61;``): a password in a URL inside a URL is ``...%3Dhunter2``
_AFTER_ESCAPE = "|".join(
    (r"(?<=%[0-9A-Fa-f]{2})", r"(?<=\\u[0-9A-Fa-f]{4})", r"(?<=\\[nrtbf])",
     *(rf"(?<=&[#0-9A-Za-z]{{{width}}};)" for width in range(2, 7))))


def _whole(variant: str) -> str:
    """The pattern of ``variant`` as a whole token: an edge that is a letter or a digit
    does not touch another letter or digit (``123456`` is not in ``4123456``, ``pw1`` not
    in ``pw12``), and a digit edge is no part of a decimal number either (``123456`` is
    not in ``0.123456`` nor in ``123456.75``); an edge that is punctuation delimits
    itself."""
    left = right = ""
    first, last = variant[0], variant[-1]
    if first.isascii() and first.isalnum():
        alone = r"(?<![A-Za-z0-9])" + (r"(?<![0-9]\.)" if first.isdigit() else "")
        left = f"(?:{alone}|{_AFTER_ESCAPE})"
    if last.isascii() and last.isalnum():
        right = r"(?![A-Za-z0-9])" + (r"(?!\.[0-9])" if last.isdigit() else "")
    return left + re.escape(variant) + right


@dataclass(frozen=True)
class _Tokens:
    """The values a trace loses wherever they are data: the run's known secrets (every
    notation of each) and the values found under a secret name (long enough to blank
    wherever else they appear). Each is blanked as a whole token (:func:`_whole`), and
    only where it is data: inside the JSON strings (and object keys) of the trace's own
    logs (``.trace``, ``.network`` and other JSON members), as strings or numbers in a
    JSON resource (a response body), anywhere in other resources (HTML, text). A code
    ``123456`` or a ZIP ``98101`` must not cut the trace's own numbers
    (``"time":4123456.75``): ``4***.75`` is not JSON, and the viewer drops the event (or
    will not open the trace). What a run typed or sent is a string in the logs; the
    logs' numbers are Playwright's own (times, sizes), never blanked."""

    values: frozenset[str]
    #: any notation of any value, a cheap test of whether a member or line is worth parsing
    needle: re.Pattern[bytes]
    pattern: re.Pattern[bytes]
    text: re.Pattern[str]

    @classmethod
    def of(cls, secrets: list[bytes], found: set[str]) -> _Tokens | None:
        """The known ``secrets`` (each notation of each, as ``Redactor.variants`` gives
        them) and the values ``found`` under a secret name, or ``None`` if there are
        none."""
        redactor = Redactor()
        for value in found:
            if len(value) >= MIN_HARVESTED and value != BLANK:
                redactor.add(value)
        variants = {variant.decode("utf-8", "surrogateescape")
                    for variant in [*secrets, *redactor.variants()]}
        texts = sorted(variants - {"", BLANK}, key=len, reverse=True)
        if not texts:
            return None
        whole = "|".join(map(_whole, texts))
        anywhere = "|".join(map(re.escape, texts))
        return cls(frozenset(texts),
                   re.compile(anywhere.encode("utf-8", "surrogateescape")),
                   re.compile(whole.encode("utf-8", "surrogateescape")),
                   re.compile(whole))

    def member(self, name: str, data: bytes) -> bytes:
        """``data`` of the member ``name`` with every value blanked."""
        if not self.needle.search(data):
            return data
        if name.endswith((".trace", ".network")):
            return b"\n".join(self._json(line, numbers=False)
                              for line in data.split(b"\n"))
        return self._json(data, numbers=name.startswith("resources/"))

    def _json(self, data: bytes, *, numbers: bool) -> bytes:
        """``data`` blanked in its JSON strings (and, with ``numbers``, its numbers equal
        to a value); blanked as plain text if it is not JSON."""
        if not self.needle.search(data):
            return data
        try:
            parsed = json.loads(data)
        except (ValueError, RecursionError):
            return self.pattern.sub(BLANK.encode(), data)
        holder = [parsed]
        if not self._blank(holder, numbers=numbers):
            return data
        return json.dumps(holder[0], separators=(",", ":"), ensure_ascii=False).encode()

    def _blank(self, holder: list[Any], *, numbers: bool) -> bool:
        """Blank the values in the JSON document ``holder[0]``, in place and without
        recursion (a DOM snapshot may nest deeper than Python recurses); whether any was."""
        changed = False
        stack: list[tuple[Any, Any]] = [(holder, 0)]
        while stack:
            container, key = stack.pop()
            value = container[key]
            if isinstance(value, str):
                blanked = self.text.sub(BLANK, value)
                if blanked != value:
                    container[key], changed = blanked, True
            elif isinstance(value, dict):
                keys = {k: self.text.sub(BLANK, k) for k in value}
                if any(k != new for k, new in keys.items()):
                    value = container[key] = {keys[k]: v for k, v in value.items()}
                    changed = True
                stack.extend((value, k) for k in value)
            elif isinstance(value, list):
                stack.extend((value, i) for i in range(len(value)))
            elif numbers and isinstance(value, int | float) and not isinstance(value, bool) \
                    and json.dumps(value) in self.values:
                container[key], changed = BLANK, True
        return changed


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
    tokens = _Tokens.of(secrets, blanker.found)
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in scrubbed:
            if tokens is not None:
                data = tokens.member(info.filename, data)
            dst.writestr(info, data)
    tmp.replace(path)
