"""Scrubbing a saved Playwright trace (a zip) in place, before anyone can open it.

Two kinds of secret reach a trace. Values the run rendered from ``secrets`` (a password,
an API key) can be anywhere: DOM snapshots, request bodies, action parameters; they are
known, so every encoding of each is blanked in every member. The session itself is the
other kind: the portal sets its cookie and the browser sends it back, so the redactor never
saw it, yet the trace's network log (``*.network``, one HAR entry per line) carries it in
``Cookie``/``Set-Cookie`` headers and the parsed ``cookies`` lists. Those are blanked by
name, whatever their values, which also covers a cookie rotated half way through the run.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["BLANK", "SECRET_HEADERS", "scrub_trace"]

BLANK = "***"

#: headers whose values are credentials, compared lower-case
SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization",
                            "x-csrf-token", "x-xsrf-token"})


def _blank_message(message: Any) -> None:
    if not isinstance(message, dict):
        return
    for header in message.get("headers") or []:
        if isinstance(header, dict) and str(header.get("name", "")).lower() in SECRET_HEADERS:
            header["value"] = BLANK
    for cookie in message.get("cookies") or []:
        if isinstance(cookie, dict) and "value" in cookie:
            cookie["value"] = BLANK


def _scrub_network_log(data: bytes) -> bytes:
    """Each line of a ``*.network`` member, with the credential headers of its HAR entry
    blanked; a line that is not such an entry is kept as it is."""
    lines = []
    for line in data.split(b"\n"):
        try:
            event = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        snapshot = event.get("snapshot") if isinstance(event, dict) else None
        if isinstance(snapshot, dict):
            _blank_message(snapshot.get("request"))
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
    tmp = path.with_suffix(".scrubbing")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename.endswith(".network"):
                data = _scrub_network_log(data)
            for secret in secrets:
                data = data.replace(secret, BLANK.encode())
            dst.writestr(info, data)
    tmp.replace(path)
