"""Scrubbing a saved Playwright trace (a zip) in place, before anyone can open it.

Two kinds of secret reach a trace. Values the run rendered from ``secrets`` (a password,
an API key) can be anywhere: DOM snapshots, request bodies, action parameters; they are
known, so every encoding of each is blanked in every member. The session itself is the
other kind: the portal sets its cookie and the browser sends it back, so the redactor never
saw it, yet the trace's network log (``*.network``, one HAR entry per line) carries it in
``Cookie``/``Set-Cookie`` headers and the parsed ``cookies`` lists. Those are blanked by
name, whatever their values, which also covers a cookie rotated half way through the run.
Form and JSON fields that hold credentials by their name (a CSRF token the page gave, a
password or one-time code) are blanked the same way, in the log's parsed ``params`` and
in the request body the trace keeps as a resource: a value the redactor never saw (a
token, a login run by someone else on the same context) is still caught.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

__all__ = ["BLANK", "SECRET_FIELD", "SECRET_HEADERS", "scrub_trace"]

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


def _secret_name(name: Any) -> bool:
    return isinstance(name, str) and SECRET_FIELD.search(name) is not None


def _blank_form(body: bytes) -> bytes:
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return body
    return urlencode([(k, BLANK if _secret_name(k) else v) for k, v in pairs]).encode()


def _blank_json_fields(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: BLANK if _secret_name(k) and isinstance(v, str | int)
                else _blank_json_fields(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank_json_fields(v) for v in value]
    return value


def _blank_json(body: bytes) -> bytes:
    try:
        parsed = json.loads(body)
    except ValueError:
        return body
    return json.dumps(_blank_json_fields(parsed), separators=(",", ":")).encode()


#: request body blankers by the start of the body's MIME type
_BODY_BLANKERS = {"application/x-www-form-urlencoded": _blank_form,
                  "application/json": _blank_json}


def _blank_post_data(post: Any, bodies: dict[str, Any]) -> None:
    """Blank credential fields of a request body: its parsed ``params``, its inline
    ``text``, and (noted in ``bodies``) the resource file holding it."""
    if not isinstance(post, dict):
        return
    for param in post.get("params") or []:
        if isinstance(param, dict) and _secret_name(param.get("name")):
            param["value"] = BLANK
    mime = str(post.get("mimeType") or "").split(";")[0].strip().lower()
    blank = _BODY_BLANKERS.get(mime)
    if blank is None:
        return
    if isinstance(post.get("text"), str) and post["text"]:
        post["text"] = blank(post["text"].encode()).decode()
    if isinstance(post.get("_file"), str):
        bodies[post["_file"]] = blank


def _blank_message(message: Any, bodies: dict[str, Any] | None = None) -> None:
    if not isinstance(message, dict):
        return
    if bodies is not None:
        _blank_post_data(message.get("postData"), bodies)
    for header in message.get("headers") or []:
        if isinstance(header, dict) and str(header.get("name", "")).lower() in SECRET_HEADERS:
            header["value"] = BLANK
    for cookie in message.get("cookies") or []:
        if isinstance(cookie, dict) and "value" in cookie:
            cookie["value"] = BLANK


def _scrub_network_log(data: bytes, bodies: dict[str, Any]) -> bytes:
    """Each line of a ``*.network`` member, with the credential headers and fields of its
    HAR entry blanked; a line that is not such an entry is kept as it is. Request bodies
    kept as resources are noted in ``bodies`` (resource name → blanker)."""
    lines = []
    for line in data.split(b"\n"):
        try:
            event = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        snapshot = event.get("snapshot") if isinstance(event, dict) else None
        if isinstance(snapshot, dict):
            _blank_message(snapshot.get("request"), bodies)
            _blank_message(snapshot.get("response"))
            line = json.dumps(event, separators=(",", ":")).encode()
        lines.append(line)
    return b"\n".join(lines)


def scrub_trace(path: Path, secrets: list[bytes]) -> None:
    """Blank session credentials and every known secret out of the trace at ``path``."""
    if not path.exists():
        return
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    bodies: dict[str, Any] = {}
    members = [(info, _scrub_network_log(data, bodies)
                if info.filename.endswith(".network") else data) for info, data in members]
    tmp = path.with_suffix(".scrubbing")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            blank = bodies.get(info.filename) or bodies.get(info.filename.split("/")[-1])
            if blank is not None:
                data = blank(data)
            for secret in secrets:
                data = data.replace(secret, BLANK.encode())
            dst.writestr(info, data)
    tmp.replace(path)
