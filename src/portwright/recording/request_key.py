"""How replay decides that a live request is "the same" as a recorded one.

Plain HAR replay compares URLs and bodies verbatim, which fails on stateful portals. Both
the recorded request and the live one are normalized the same way first:

* cache-busting query parameters (the policy's ``volatile_params``) are dropped;
* secret fields (CSRF tokens, passwords, MFA codes: placeholders in the recording, real
  or replay values live) and volatile fields (timestamps, nonces) become a marker, in
  query strings, form bodies and JSON bodies alike;
* query parameters and JSON keys are compared in sorted order;
* secret path segments (the policy's secret ``path_patterns``) become a marker;
* multipart boundaries (random per request) are neutralized.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from portwright.recording.scrub.kinds import PLACEHOLDERS, PhiKind, SecretKind
from portwright.recording.scrub.policy import ScrubPolicy

__all__ = ["RequestKey", "request_key"]

RequestKey = tuple[str, str, str]
_IGNORED = "<ignored>"


def _ignored(name: str, policy: ScrubPolicy, ignore_phi: bool) -> bool:
    return policy.is_matching_noise(name) or (
        ignore_phi and isinstance(policy.field_kind(name), PhiKind))


def _normalize_pairs(pairs: list[tuple[str, str]], policy: ScrubPolicy,
                     ignore_phi: bool = False) -> list[tuple[str, str]]:
    return sorted((k, _IGNORED if _ignored(k, policy, ignore_phi) else v) for k, v in pairs
                  if not policy.is_volatile_param(k))


def _normalize_json(data: Any, policy: ScrubPolicy) -> Any:
    if isinstance(data, dict):
        return {k: _IGNORED if policy.is_matching_noise(str(k)) else _normalize_json(v, policy)
                for k, v in data.items()}
    if isinstance(data, list):
        return [_normalize_json(v, policy) for v in data]
    return data


def normalize_url(url: str, policy: ScrubPolicy, ignore_phi: bool = False) -> str:
    parts = urlsplit(url)
    query = urlencode(_normalize_pairs(parse_qsl(parts.query, keep_blank_values=True), policy,
                                       ignore_phi))
    path = parts.path or "/"
    for pattern in policy.path_patterns:
        if isinstance(pattern.kind, SecretKind):  # an account id in the path, say
            path = re.sub(pattern.pattern, _IGNORED, path)
            path = path.replace(PLACEHOLDERS[pattern.kind], _IGNORED)  # its scrubbed twin
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def normalize_body(body: str | None, content_type: str, policy: ScrubPolicy) -> str:
    if not body:
        return ""
    low = content_type.lower()
    if "x-www-form-urlencoded" in low:
        pairs = parse_qsl(body, keep_blank_values=True)
        return urlencode(_normalize_pairs(pairs, policy))
    if "json" in low or body.lstrip()[:1] in ("{", "["):
        try:
            return json.dumps(_normalize_json(json.loads(body), policy), sort_keys=True)
        except ValueError:
            pass
    if "multipart/form-data" in low:
        boundary = re.search(r"boundary=([^;]+)", content_type)
        if boundary:
            body = body.replace(boundary.group(1).strip('"'), "BOUNDARY")
    return body


def request_key(method: str, url: str, body: str | None, content_type: str,
                policy: ScrubPolicy, *, ignore_phi: bool = False) -> RequestKey:
    """The normalized identity of a request, equal for recorded and live twins.

    ``ignore_phi`` also masks PHI-named query fields: for API calls made from Python,
    whose live values (a phone number from the credential store) are real while the
    recording holds their pseudonyms.
    """
    return (method.upper(), normalize_url(url, policy, ignore_phi),
            normalize_body(body, content_type, policy))
