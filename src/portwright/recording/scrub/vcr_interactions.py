"""A vcrpy cassette (the Python-side HTTP of a recording: the SMS provider's API, direct
requests), walked for the scrubber.

vcrpy serializes headers as ``{name: [values]}`` and bodies as text or bytes; this module
turns them into the shapes the ``Scrubber``'s value-level methods take. The recorder
scrubs whole cassettes after recording; ``cassette.py`` also scrubs each request and
response as vcrpy writes it (``before_record_*``), so nothing unscrubbed reaches disk.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from portwright.recording.scrub.bodies import decode_body
from portwright.recording.scrub.encoded_values import rescrub_stored, stored_text

if TYPE_CHECKING:
    from portwright.recording.scrub.scrubber import Scrubber

__all__ = ["learn_cassette", "scrub_cassette", "scrub_vcr_request", "scrub_vcr_response"]


def learn_cassette(scrubber: Scrubber, cassette: dict[str, Any]) -> None:
    """Learn every secret and PHI value the cassette's interactions carry."""
    for interaction in cassette.get("interactions", []):
        request, response = interaction.get("request", {}), interaction.get("response", {})
        scrubber.learn_url(str(request.get("uri", "")))
        scrubber.learn_headers(_header_list(request.get("headers", {})))
        scrubber.learn_headers(_header_list(response.get("headers", {})))
        if request.get("body"):
            body = request["body"]
            scrubber.learn_text(stored_text(body) if isinstance(body, str)
                                else body.decode("utf-8", "replace"),
                                "application/x-www-form-urlencoded")
        text = (response.get("body") or {}).get("string")
        if text:
            text = text.decode("utf-8", "replace") if isinstance(text, bytes) else stored_text(text)
            scrubber.learn_text(text, _guess_mime(text))


def scrub_cassette(scrubber: Scrubber, cassette: dict[str, Any]) -> dict[str, Any]:
    """A scrubbed copy of a cassette (learn it first, with everything else recorded)."""
    result: dict[str, Any] = json.loads(json.dumps(cassette, default=_bytes_to_str))
    for interaction in result.get("interactions", []):
        scrub_vcr_request(scrubber, interaction.get("request", {}))
        scrub_vcr_response(scrubber, interaction.get("response", {}))
    return result


def scrub_vcr_request(scrubber: Scrubber, request: dict[str, Any]) -> dict[str, Any]:
    """In place, on vcrpy's serialized request shape (uri, headers, body)."""
    request["uri"] = scrubber.scrub_url(str(request.get("uri", "")))
    request["headers"] = _scrub_header_map(scrubber, request.get("headers"))
    body = request.get("body")
    if body:
        # a gzip/deflate body stored as text is compressed back the same way
        request["body"] = rescrub_stored(
            body if isinstance(body, str) else body.decode("utf-8", "replace"),
            lambda text: scrubber.scrub_form(text) if "=" in text and "{" not in text[:1]
            else scrubber.scrub_body(text, "application/json"))
    return request


def scrub_vcr_response(scrubber: Scrubber, response: dict[str, Any]) -> dict[str, Any]:
    """In place, on vcrpy's serialized response shape (headers, body.string)."""
    response["headers"] = _scrub_header_map(scrubber, response.get("headers"))
    body = response.get("body") or {}
    text = body.get("string")
    if text:
        if isinstance(text, bytes):
            text = decode_body(base64.b64encode(text).decode(), "base64").decode(
                "utf-8", "replace")
        # a gzip/deflate body stored as text is compressed back the same way
        body["string"] = rescrub_stored(
            text, lambda plain: scrubber.scrub_body(plain, _guess_mime(plain)))
    return response


def _scrub_header_map(scrubber: Scrubber, headers: dict[str, Any] | None
                      ) -> dict[str, list[str]]:
    return {name: [scrubber.scrub_header(name, str(v)) for v in _as_list(values)]
            for name, values in (headers or {}).items()}


def _guess_mime(text: str) -> str:
    """vcrpy keeps no content type with a body: JSON if it looks like JSON."""
    return "application/json" if text.lstrip()[:1] in "[{" else "text/plain"


def _header_list(headers: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": k, "value": str(v)} for k, values in headers.items()
            for v in _as_list(values)]


def _as_list(values: Any) -> list[Any]:
    return list(values) if isinstance(values, list | tuple) else [values]


def _bytes_to_str(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(type(value).__name__)
