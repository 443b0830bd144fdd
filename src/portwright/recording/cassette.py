"""The vcrpy cassette of a flow's non-browser HTTP (the SMS provider's API, direct calls).

Two ways in, same policy:

* ``cassette_filters(scrubber)`` gives vcrpy ``before_record_request`` /
  ``before_record_response`` filters that learn and scrub each interaction as it is
  recorded, for any ``vcr.VCR`` (e.g. pytest-recording's ``vcr_config``) — nothing
  unscrubbed is kept even in memory longer than one interaction;
* the recorder records to a temporary cassette and scrubs it together with the HAR and
  the golden output (``Scrubber.scrub_cassette``), so pseudonyms agree across all three.

On replay, ``replay_vcr`` opens the cassette in record mode ``none``: a request that is
not in it raises instead of reaching the network. Requests are matched with the same
normalized key as the browser replay (volatile parameters such as Twilio's
``DateSent>`` ignored, secret path segments such as the account id masked).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import vcr
from vcr.request import Request as VcrRequest

from portwright.recording.record_mode import RecordMode
from portwright.recording.request_key import request_key
from portwright.recording.scrub.policy import ScrubPolicy
from portwright.recording.scrub.scrubber import Scrubber

__all__ = ["cassette_filters", "make_vcr", "portwright_matcher"]


def _body_text(body: Any) -> str:
    if body is None:
        return ""
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


def cassette_filters(scrubber: Scrubber) -> dict[str, Callable[[Any], Any]]:
    """``before_record_request`` / ``before_record_response`` for a ``vcr.VCR``."""

    def before_request(request: VcrRequest) -> VcrRequest:
        scrubber.learn_url(request.uri)
        scrubber.learn_headers([{"name": k, "value": v} for k, v in request.headers.items()])
        body = _body_text(request.body)
        if body:
            scrubber.learn_text(body, request.headers.get("Content-Type", "text/plain"))
        data = {"uri": request.uri, "headers": dict(request.headers), "body": body or None}
        scrubbed = scrubber.scrub_vcr_request(data)
        request.uri = scrubbed["uri"]
        request.headers = {k: v[0] if isinstance(v, list) and v else v
                           for k, v in scrubbed["headers"].items()}
        request.body = scrubbed["body"].encode() if scrubbed.get("body") else request.body
        return request

    def before_response(response: dict[str, Any]) -> dict[str, Any]:
        text = (response.get("body") or {}).get("string")
        if text:
            scrubber.learn_text(_body_text(text), "application/json"
                                if _body_text(text).lstrip()[:1] in "[{" else "text/plain")
        scrubber.scrub_vcr_response(response)
        body = response.get("body") or {}
        if isinstance(body.get("string"), str):
            body["string"] = body["string"].encode("utf-8")
        return response

    return {"before_record_request": before_request, "before_record_response": before_response}


def portwright_matcher(policy: ScrubPolicy) -> Callable[[VcrRequest, VcrRequest], None]:
    """A vcrpy matcher comparing normalized request keys (raises AssertionError on a miss)."""

    def match(live: VcrRequest, recorded: VcrRequest) -> None:
        def key(r: VcrRequest) -> tuple[str, str, str]:
            return request_key(r.method, r.uri, _body_text(r.body),
                               r.headers.get("Content-Type", ""), policy, ignore_phi=True)

        a, b = key(live), key(recorded)
        if a != b:
            raise AssertionError(f"{a} != {b}")

    return match


def make_vcr(policy: ScrubPolicy, mode: RecordMode, scrubber: Scrubber | None = None) -> vcr.VCR:
    """A ``vcr.VCR`` in ``mode``, scrubbing with ``scrubber`` and matching on the normalized key.

    No scrubber for playback: vcrpy would run it over the already-scrubbed cassette as it
    loads. The matcher masks secret and PHI fields instead, so a live request carrying
    real credentials or a real number still finds its scrubbed twin.
    """
    recorder = vcr.VCR(
        record_mode=mode.vcr_mode,
        match_on=("portwright",),
        decode_compressed_response=True,
        **(cassette_filters(scrubber) if scrubber is not None else {}),
    )
    recorder.register_matcher("portwright", portwright_matcher(policy))
    return recorder


def cassette_exists(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0
