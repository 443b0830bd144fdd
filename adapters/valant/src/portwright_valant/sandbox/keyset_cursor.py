"""Keyset cursors: "continue after the row with this sort key and this id".

An offset cursor skips or repeats a row whenever a row before the offset moves (an
update changes its sort key, an insert lands on an earlier page) while a client pages
through. A keyset cursor names the last row returned instead, so the next page starts
strictly after it whatever moved since: rows that stay on their side of the cursor are
returned exactly once. Only a row whose own sort key crosses the cursor is seen twice
(returned, then changed to sort later: it comes again, with its new values) or not at
all (changed, or added, to sort before the last row returned): no cursor can do better
without a snapshot.

The cursor is base64 of JSON, signed but readable, as many real portals issue them:
``{"k": [sort key...], "i": row id, "f": the query it belongs to, "s": signature}``.
So it carries PHI (the last row's name or birth date, the search text), which is what
the recording scrubber must find and pseudonymize inside base64 JSON; the sandbox keeps
that realistic rather than hiding it. The signature makes an edited or made-up cursor a
400 with a reason instead of an arbitrary page. The key comes from the sandbox seed, so
the same data gives the same cursors run after run (and the same URLs in recordings).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass

__all__ = ["CursorError", "KeyValue", "Keyset", "cursor_key", "decode_cursor", "encode_cursor"]

#: one sort column's value as it travels in a cursor (SQLite TEXT, INTEGER or REAL)
KeyValue = str | int | float

_SIGNATURE_CHARS = 32
#: SQLite's INTEGER is signed 64-bit; a larger bound parameter is an OverflowError
_INT_RANGE = range(-(2**63), 2**63)


class CursorError(ValueError):
    """A cursor this server cannot continue from; the message says why, for the client."""


@dataclass(frozen=True)
class Keyset:
    """The last row a page returned: its sort key (column by column) and its id."""

    key: tuple[KeyValue, ...]
    row_id: str


def cursor_key(seed: int, purpose: str) -> bytes:
    """The signing key of one endpoint's cursors in a sandbox seeded with ``seed``."""
    return hashlib.sha256(f"valant-sandbox-cursor:{purpose}:{seed}".encode()).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _canonical(values: list[KeyValue], row_id: str, query: str) -> bytes:
    return json.dumps({"k": values, "i": row_id, "f": query}, separators=(",", ":"),
                      sort_keys=True).encode()


def _signature(key: bytes, values: list[KeyValue], row_id: str, query: str) -> str:
    return hmac.new(key, _canonical(values, row_id, query),
                    hashlib.sha256).hexdigest()[:_SIGNATURE_CHARS]


def encode_cursor(key: bytes, query: str, last: Keyset) -> str:
    """The cursor for the page after ``last``, valid only for ``query`` (a fingerprint)."""
    values = list(last.key)
    data = {"k": values, "i": last.row_id, "f": query,
            "s": _signature(key, values, last.row_id, query)}
    return _b64(json.dumps(data, separators=(",", ":")).encode())


_NOT_ISSUED = "cursor is not one this server issued"


def decode_cursor(key: bytes, query: str, cursor: str,
                  key_types: tuple[type, ...]) -> Keyset:
    """The row a cursor continues after; ``CursorError`` unless this server issued it for
    ``query``. ``key_types`` are the sort columns' types, checked value by value."""
    try:
        data = json.loads(_unb64(cursor))
    except (binascii.Error, ValueError):
        raise CursorError(_NOT_ISSUED) from None
    if not isinstance(data, dict) or set(data) != {"k", "i", "f", "s"}:
        raise CursorError(_NOT_ISSUED)
    values, row_id, issued_for, signature = data["k"], data["i"], data["f"], data["s"]
    if not (isinstance(values, list) and isinstance(row_id, str)
            and isinstance(issued_for, str) and isinstance(signature, str)):
        raise CursorError(_NOT_ISSUED)
    if not hmac.compare_digest(signature, _signature(key, values, row_id, issued_for)):
        raise CursorError(f"{_NOT_ISSUED} (damaged or edited)")
    if issued_for != query:
        raise CursorError("cursor belongs to a different query")
    # signed by us, so well formed unless the sort's columns changed since it was issued
    if len(values) != len(key_types) or \
            not all(_fits(v, t) for v, t in zip(values, key_types, strict=True)):
        raise CursorError("cursor is from an older version of this list; start again")
    return Keyset(tuple(values), row_id)


def _fits(value: object, kind: type) -> bool:
    if type(value) is not kind and not (kind is float and type(value) is int):
        return False
    return not isinstance(value, int) or value in _INT_RANGE
