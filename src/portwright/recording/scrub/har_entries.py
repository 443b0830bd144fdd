"""A HAR (Playwright's record of the browser's traffic), walked for the scrubber.

Each entry's URL, query, headers, cookies, form or JSON post data and response body goes
to the matching value-level method of the ``Scrubber``; text bodies are decoded first
(base64, gzip), a gzip or deflate body stored as text is scrubbed inside and compressed
back, ZIP downloads keep only their text members, and other binary bodies are dropped
unless their type is known to be harmless (images, fonts). Every other string of
the HAR (page titles, comments, header names) goes through the value table.

Each string is scrubbed exactly once. Scrubbing is not idempotent: a pseudonym may equal
another real value (one patient's shifted birth date is another's real one), so a second
pass over scrubbed text would replace it again and the HAR would disagree with the
golden output.
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from portwright.recording.scrub.bodies import (
    BINARY_DROPPED,
    KEEP_BINARY,
    decode_body,
    is_text_mime,
    member_mime,
    zip_members,
)
from portwright.recording.scrub.encoded_values import rescrub_stored, stored_text

if TYPE_CHECKING:
    from portwright.recording.scrub.scrubber import Scrubber

__all__ = ["learn_har", "scrub_har"]


def learn_har(scrubber: Scrubber, har: dict[str, Any]) -> None:
    """Learn every secret and PHI value the HAR's entries carry."""
    for entry in har.get("log", {}).get("entries", []):
        request, response = entry.get("request", {}), entry.get("response", {})
        scrubber.learn_url(str(request.get("url", "")))
        scrubber.learn_headers(request.get("headers", []))
        scrubber.learn_headers(response.get("headers", []))
        for cookie in request.get("cookies", []) + response.get("cookies", []):
            scrubber.learn_cookie(str(cookie.get("name", "")), str(cookie.get("value", "")))
        post = request.get("postData") or {}
        if post.get("text"):
            scrubber.learn_text(stored_text(str(post["text"])), str(post.get("mimeType", "")))
        scrubber.learn_keyed([(str(p.get("name", "")), str(p.get("value", "")))
                              for p in post.get("params", [])])
        content = response.get("content") or {}
        mime = str(content.get("mimeType", ""))
        if content.get("text") and is_text_mime(mime):
            scrubber.learn_text(_body_text(content), mime)
        elif content.get("text") and content.get("encoding") == "base64":
            for name, data in zip_members(base64.b64decode(str(content["text"]))) or []:
                kind = member_mime(name)
                if kind is not None:
                    scrubber.learn_text(data.decode("utf-8", "replace"), kind)


def scrub_har(scrubber: Scrubber, har: dict[str, Any]) -> dict[str, Any]:
    """A scrubbed copy of a HAR (learn it first, with everything else recorded)."""
    # first every string the entry scrubber does not own (page titles, comments, private
    # fields), then the owned ones, from their raw values
    result: dict[str, Any] = _walk_strings(har, scrubber.scrub_text, ())
    for entry in result.get("log", {}).get("entries", []):
        _scrub_entry(scrubber, entry)
    return result


def _scrub_entry(scrubber: Scrubber, entry: dict[str, Any]) -> None:
    request, response = entry.get("request", {}), entry.get("response", {})
    request["url"] = scrubber.scrub_url(str(request.get("url", "")))
    request["headers"] = scrubber.scrub_headers(request.get("headers", []))
    for item in request.get("queryString", []):
        item["value"] = scrubber.scrub_keyed(str(item.get("name", "")), str(item.get("value")))
    for cookie in request.get("cookies", []) + response.get("cookies", []):
        cookie["value"] = scrubber.scrub_cookie(str(cookie.get("name", "")),
                                                str(cookie.get("value", "")))
    post = request.get("postData")
    if post:
        if post.get("text"):
            mime = str(post.get("mimeType", ""))
            post["text"] = rescrub_stored(str(post["text"]),
                                          lambda text: scrubber.scrub_body(text, mime))
        for param in post.get("params", []):
            param["value"] = scrubber.scrub_keyed(str(param.get("name", "")),
                                                  str(param.get("value", "")))
    response["headers"] = scrubber.scrub_headers(response.get("headers", []))
    if response.get("redirectURL"):
        response["redirectURL"] = scrubber.scrub_url(str(response["redirectURL"]))
    _scrub_content(scrubber, response.get("content") or {})


def _scrub_content(scrubber: Scrubber, content: dict[str, Any]) -> None:
    """A response body, in place: text scrubbed, ZIPs repacked, other binaries dropped."""
    if not content.get("text"):
        return
    mime = str(content.get("mimeType", ""))
    if is_text_mime(mime) and content.get("encoding") != "base64":
        # text, or a gzip/deflate body stored as text (compressed back the same way)
        text = rescrub_stored(str(content["text"]), lambda body: scrubber.scrub_body(body, mime))
        content["text"] = text
        content.pop("encoding", None)
        content["size"] = len(stored_text(text).encode("utf-8"))
    elif is_text_mime(mime):
        body = decode_body(str(content["text"]), "base64")
        text = scrubber.scrub_body(body.decode("utf-8", "replace"), mime)
        content["text"] = text
        content.pop("encoding", None)
        content["size"] = len(text.encode("utf-8"))
    elif (content.get("encoding") == "base64" and
          (packed := _scrub_zip(scrubber, base64.b64decode(str(content["text"])))) is not None):
        content["text"] = base64.b64encode(packed).decode()
        content["size"] = len(packed)
    elif not mime.lower().startswith(KEEP_BINARY):
        content["text"] = ""
        content.pop("encoding", None)
        content["size"] = 0
        content["comment"] = BINARY_DROPPED


def _body_text(content: dict[str, Any]) -> str:
    """A text response body as text: base64 decoded, compressed bodies (in base64 or
    stored as text) decompressed."""
    if content.get("encoding") != "base64":
        return stored_text(str(content["text"]))
    return decode_body(str(content["text"]), "base64").decode("utf-8", "replace")


#: members' time in a repacked ZIP: fixed, so scrubbing the same recording twice gives the
#: same bytes (and a recording does not carry the time it was scrubbed at)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _scrub_zip(scrubber: Scrubber, raw: bytes) -> bytes | None:
    """A ZIP with its text members scrubbed and every other member left out."""
    members = zip_members(raw)
    if members is None:
        return None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            kind = member_mime(name)
            if kind is not None:
                text = scrubber.scrub_body(data.decode("utf-8", "replace"), kind)
                member = zipfile.ZipInfo(scrubber.table.apply(name), date_time=_ZIP_TIME)
                member.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(member, text)
    return out.getvalue()


#: the strings of an entry that ``_scrub_entry`` scrubs, each knowing its notation ("*": any
#: list index); a HAR-wide pass leaves them alone
_OWNED_BY_ENTRY: tuple[tuple[str, ...], ...] = (
    ("request", "url"), ("request", "headers", "*", "value"),
    ("request", "queryString", "*", "value"), ("request", "cookies", "*", "value"),
    ("request", "postData", "text"), ("request", "postData", "params", "*", "value"),
    ("response", "headers", "*", "value"), ("response", "cookies", "*", "value"),
    ("response", "redirectURL"), ("response", "content", "text"),
)


def _owned_by_entry(path: tuple[str | int, ...]) -> bool:
    """Whether ``path`` (from the HAR's root) is a string ``_scrub_entry`` scrubs."""
    if len(path) < 3 or path[:2] != ("log", "entries"):
        return False
    rest = path[3:]
    return any(len(rest) == len(owned) and all(
        isinstance(step, int) if want == "*" else step == want
        for step, want in zip(rest, owned, strict=True)) for owned in _OWNED_BY_ENTRY)


def _walk_strings(data: Any, fn: Callable[[str], str], path: tuple[str | int, ...]) -> Any:
    """A copy of ``data`` with every string not owned by an entry's scrubber through
    ``fn``."""
    if isinstance(data, dict):
        return {k: _walk_strings(v, fn, (*path, k)) for k, v in data.items()}
    if isinstance(data, list):
        return [_walk_strings(v, fn, (*path, i)) for i, v in enumerate(data)]
    if isinstance(data, str) and not _owned_by_entry(path):
        return fn(data)
    return data
