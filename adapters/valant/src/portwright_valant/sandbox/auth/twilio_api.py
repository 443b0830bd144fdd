"""A Twilio-compatible Messages API: the sandbox's stand-in for the SMS provider's cloud.

The portal "sends" a verification text by recording it here; the real ``twilio`` client,
with ``client.api.base_url = <sandbox>/twilio``, lists and fetches those messages over
HTTP exactly as it would from Twilio: same paths, Basic auth with the account SID and
auth token, the same JSON shape and paging (``next_page_uri`` etc. are relative to the
API root, so the client prefixes its own base URL).

As Twilio's, the ``PageToken`` is a keyset, not an offset: ``PA…`` continues after the
last message of the page, ``PB…`` goes back from its first. A text sent while a client
pages through the newest-first list therefore does not push a message it already read
onto the next page again. Tokens are signed (``keyset_cursor.py``); an edited or made-up
one is a 400, as is one issued for other filters.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import sqlite3
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from starlette.responses import JSONResponse

from portwright_valant.sandbox.auth.runtime import AuthRuntime, runtime_of
from portwright_valant.sandbox.keyset_cursor import (
    CursorError,
    Keyset,
    cursor_key,
    decode_cursor,
    encode_cursor,
)

__all__ = ["API_PREFIX", "install_twilio_api", "record_sms"]

API_PREFIX = "/twilio"
_VERSION = "2010-04-01"
_DEFAULT_PAGE_SIZE = 50
_MAX_PAGE_SIZE = 1000


def record_sms(
    rt: AuthRuntime, conn: sqlite3.Connection, to: str, from_: str, body: str
) -> dict[str, Any]:
    """Record an outbound text as delivered (inside the caller's transaction)."""
    sid = "SM" + secrets.token_hex(16)
    now = rt.now()
    account_sid = rt.state.config.twilio_account_sid
    conn.execute(
        "INSERT INTO sms_messages (sid, account_sid, to_number, from_number, body, date_created)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (sid, account_sid, to, from_, body, now),
    )
    entry = {"sid": sid, "to": to, "from": from_, "body": body, "date_created": now}
    rt.state.sms_outbox.append(entry)
    return entry


def _rfc2822(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def _message_uri(account_sid: str, sid: str) -> str:
    return f"/{_VERSION}/Accounts/{account_sid}/Messages/{sid}.json"


def _message_json(row: sqlite3.Row) -> dict[str, Any]:
    sent = _rfc2822(row["date_created"])
    segments = max(1, -(-len(row["body"]) // 160))
    uri = _message_uri(row["account_sid"], row["sid"])
    return {
        "account_sid": row["account_sid"],
        "api_version": _VERSION,
        "body": row["body"],
        "date_created": sent,
        "date_sent": sent,
        "date_updated": sent,
        "direction": row["direction"],
        "error_code": None,
        "error_message": None,
        "from": row["from_number"],
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": str(segments),
        "price": f"-{0.0079 * segments:.5f}",
        "price_unit": "USD",
        "sid": row["sid"],
        "status": row["status"],
        "subresource_uris": {
            "media": uri.replace(".json", "/Media.json"),
            "feedback": uri.replace(".json", "/Feedback.json"),
        },
        "to": row["to_number"],
        "uri": uri,
    }


def _error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"code": code, "message": message,
         "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status},
        status_code=status,
        headers={"WWW-Authenticate": 'Basic realm="Twilio API"'} if status == 401 else None,
    )


def _authorized(request: Request, rt: AuthRuntime, account_sid: str) -> JSONResponse | None:
    config = rt.state.config
    header = request.headers.get("authorization", "")
    try:
        scheme, _, encoded = header.partition(" ")
        user, _, password = base64.b64decode(encoded).decode().partition(":")
    except ValueError:
        scheme, user, password = "", "", ""
    if scheme.lower() != "basic" or not (
        hmac.compare_digest(user, config.twilio_account_sid)
        and hmac.compare_digest(password, config.twilio_auth_token)
    ):
        return _error(401, 20003, "Authenticate")
    if account_sid != config.twilio_account_sid:
        return _error(404, 20404, f"The requested resource /{_VERSION}/Accounts/"
                                  f"{account_sid}/Messages.json was not found")
    return None


def _parse_when(value: str, field: str) -> tuple[float, bool]:
    """A DateSent filter value → (Unix time, is_date_only); ValueError names the field."""
    text = value.strip()
    try:
        if len(text) == 10:
            d = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return d.timestamp(), True
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp(), False
    except ValueError as exc:
        raise ValueError(f"{field}: expected YYYY-MM-DD or an ISO 8601 date-time") from exc


def _filters(request: Request) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    q = request.query_params
    if q.get("To"):
        clauses.append("to_number = ?")
        args.append(q["To"])
    if q.get("From"):
        clauses.append("from_number = ?")
        args.append(q["From"])
    day = 86400.0
    if q.get("DateSent"):
        ts, _ = _parse_when(q["DateSent"], "DateSent")
        clauses.append("date_created >= ? AND date_created < ?")
        args += [ts, ts + day]
    if q.get("DateSent>"):
        ts, _ = _parse_when(q["DateSent>"], "DateSent>")
        clauses.append("date_created >= ?")
        args.append(ts)
    if q.get("DateSent<"):
        ts, date_only = _parse_when(q["DateSent<"], "DateSent<")
        clauses.append("date_created < ?")
        args.append(ts + day if date_only else ts)
    return (" AND ".join(clauses) or "1"), args


def _page_uri(account_sid: str, request: Request, page: int, size: int, token: str | None) -> str:
    keep = [(k, v) for k, v in request.query_params.multi_items()
            if k not in ("Page", "PageSize", "PageToken")]
    keep += [("PageSize", str(size)), ("Page", str(page))]
    if token:
        keep.append(("PageToken", token))
    return f"/{_VERSION}/Accounts/{account_sid}/Messages.json?{urlencode(keep)}"


def _filter_fingerprint(request: Request) -> str:
    """The filters a PageToken belongs to: paging on with other filters is refused."""
    return "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items())
                    if k not in ("Page", "PageSize", "PageToken"))


def _page_rows(conn: sqlite3.Connection, account_sid: str, where: str, args: list[Any],
               limit: int, start: Keyset | None, forward: bool) -> list[sqlite3.Row]:
    """Up to ``limit`` messages newest first after ``start`` (``forward``), or the ones
    just before it, nearest first (backward: the caller reverses them)."""
    order = "DESC" if forward else "ASC"
    beyond = ""
    keyset: list[Any] = []
    if start is not None:
        beyond = f" AND (date_created, sid) {'<' if forward else '>'} (?, ?)"
        keyset = [*start.key, start.row_id]
    return conn.execute(
        f"SELECT * FROM sms_messages WHERE account_sid = ? AND {where}{beyond}"
        f" ORDER BY date_created {order}, sid {order} LIMIT ?",
        [account_sid, *args, *keyset, limit],
    ).fetchall()


def install_twilio_api(app: FastAPI) -> None:
    router = APIRouter(prefix=f"{API_PREFIX}/{_VERSION}/Accounts/{{account_sid}}")

    @router.get("/Messages.json")
    def list_messages(account_sid: str, request: Request) -> JSONResponse:
        rt = runtime_of(request)
        denied = _authorized(request, rt, account_sid)
        if denied:
            return denied
        q = request.query_params
        try:
            size = int(q.get("PageSize", _DEFAULT_PAGE_SIZE))
            page = int(q.get("Page", 0))
            if not 1 <= size <= _MAX_PAGE_SIZE or page < 0:
                raise ValueError
        except ValueError:
            return _error(400, 20001, "PageSize must be 1..1000 and Page >= 0")
        try:
            where, args = _filters(request)
        except ValueError as exc:
            return _error(400, 20001, f"Invalid filter {exc}")
        key = cursor_key(rt.state.config.seed, "twilio-messages")
        scope = _filter_fingerprint(request)
        token = q.get("PageToken")
        forward, start = True, None
        if token:
            try:
                if token[:2] not in ("PA", "PB"):
                    raise CursorError("PageToken is invalid")
                forward = token[:2] == "PA"
                start = decode_cursor(key, scope, token[2:], (float,))
            except CursorError as exc:
                return _error(400, 20001, f"PageToken is invalid: {exc}")
        with rt.read() as conn:
            rows = _page_rows(conn, account_sid, where, args, size + 1, start, forward)
        more = len(rows) > size  # another page in the direction we went
        rows = rows[:size]
        if not forward:
            rows.reverse()
        has_next = more if forward else start is not None
        has_previous = (start is not None) if forward else more

        def token_at(prefix: str, row: sqlite3.Row) -> str:
            return prefix + encode_cursor(key, scope, Keyset((row["date_created"],), row["sid"]))

        return JSONResponse({
            "messages": [_message_json(r) for r in rows],
            "start": page * size,
            "end": page * size + max(len(rows) - 1, 0),
            "page": page,
            "page_size": size,
            "uri": _page_uri(account_sid, request, page, size, token),
            "first_page_uri": _page_uri(account_sid, request, 0, size, None),
            "next_page_uri": (
                _page_uri(account_sid, request, page + 1, size, token_at("PA", rows[-1]))
                if has_next and rows else None
            ),
            "previous_page_uri": (
                _page_uri(account_sid, request, max(page - 1, 0), size,
                          token_at("PB", rows[0]))
                if has_previous and rows else None
            ),
        })

    @router.get("/Messages/{sid}.json")
    def fetch_message(account_sid: str, sid: str, request: Request) -> JSONResponse:
        rt = runtime_of(request)
        denied = _authorized(request, rt, account_sid)
        if denied:
            return denied
        with rt.read() as conn:
            row = conn.execute(
                "SELECT * FROM sms_messages WHERE account_sid = ? AND sid = ?", (account_sid, sid)
            ).fetchone()
        if row is None:
            return _error(404, 20404, f"The requested resource {_message_uri(account_sid, sid)}"
                                      " was not found")
        return JSONResponse(_message_json(row))

    @router.post("/Messages.json")
    async def create_message(account_sid: str, request: Request) -> JSONResponse:
        rt = runtime_of(request)
        denied = _authorized(request, rt, account_sid)
        if denied:
            return denied
        form = await request.form()
        fields = {k: form.get(k) for k in ("To", "From", "Body")}
        for name, value in fields.items():
            if not isinstance(value, str) or not value:
                return _error(400, 21604 if name == "To" else 21602,
                              f"A '{name}' parameter is required.")
        with rt.write() as conn:
            entry = record_sms(rt, conn, str(fields["To"]), str(fields["From"]),
                               str(fields["Body"]))
            row = conn.execute(
                "SELECT * FROM sms_messages WHERE sid = ?", (entry["sid"],)
            ).fetchone()
        return JSONResponse(_message_json(row), status_code=201)

    app.include_router(router)
