"""Keeps phone numbers out of what the SMS provider's HTTP stack logs.

The SMS code source asks the Messages API for the texts *to its own number*, so the
number travels in the query string (``?To=%2B15551234567``). urllib3 logs every request
line at DEBUG, the twilio client every query at INFO, and a phone number is personal
data that must not reach a log file, a CI log or a captured test log. The same request
line carries the practice's provider account id in its path
(``/Accounts/AC5a1d…/Messages.json``): with the auth token it is half of the provider
credential, and the adapters plant it as a value no log may hold. ``PhoneNumberMask``
rewrites such records before any handler sees them: To=/From= values (query strings,
dict and JSON reprs), anything shaped like an E.164 number, plain or URL-encoded, and
anything shaped like an account id (``AC`` and 32 hex digits).

It is installed on the named loggers only (a filter on a logger runs for the records
created there, before they propagate), never on the root logger or a handler, so other
libraries' logging is untouched. Installing it again is a no-op.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

__all__ = ["ACCOUNT_MASK", "MASK", "PROVIDER_LOGGERS", "PhoneNumberMask",
           "install_phone_number_mask", "mask_account_ids", "mask_phone_numbers"]

MASK = "[number]"
ACCOUNT_MASK = "[account]"

#: the loggers that write the provider's request URLs and query parameters
PROVIDER_LOGGERS = (
    "urllib3.connectionpool",  # '"GET /…/Messages.json?To=… HTTP/1.1" 200' at DEBUG
    "urllib3.poolmanager",  # redirects, with the URL
    "urllib3.util.retry",  # retries, with the URL
    "twilio.http_client",  # the twilio client's default logger: "Query Params: {...}"
)

_QUERY_FIELD = re.compile(r"(?i)(?<=[?&;])((?:To|From)=)[^&;#\s\"']*")
_QUOTED_FIELD = re.compile(r"(?i)((['\"])(?:to|from)\2\s*:\s*)(['\"])[^'\"]*\3")
_E164 = re.compile(r"(?:\+|%2[Bb])\d{7,15}(?!\d)")
_ACCOUNT_ID = re.compile(r"(?<![0-9A-Za-z])AC[0-9a-fA-F]{32}(?![0-9A-Za-z])")
_INSTALL_LOCK = threading.Lock()


def mask_phone_numbers(text: str) -> str:
    """``text`` with every To=/From= value and every E.164-shaped number replaced."""
    text = _QUERY_FIELD.sub(lambda m: m.group(1) + MASK, text)
    text = _QUOTED_FIELD.sub(lambda m: f"{m.group(1)}{m.group(3)}{MASK}{m.group(3)}", text)
    return _E164.sub(MASK, text)


def mask_account_ids(text: str) -> str:
    """``text`` with every provider account id (``AC`` + 32 hex digits) replaced."""
    return _ACCOUNT_ID.sub(ACCOUNT_MASK, text)


def _mask(text: str) -> str:
    return mask_phone_numbers(mask_account_ids(text))


class PhoneNumberMask(logging.Filter):
    """Rewrites a record's message (and traceback text) with the numbers and account ids
    masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format: logging would print msg and args
            message = f"{record.msg} {record.args}"
        masked = _mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:  # the formatter reuses exc_text
            record.exc_text = _mask(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = _mask(record.exc_text)
        if record.stack_info:
            record.stack_info = _mask(record.stack_info)
        return True


def install_phone_number_mask(names: Iterable[str] = PROVIDER_LOGGERS) -> None:
    """Add one ``PhoneNumberMask`` to each named logger that has none yet."""
    with _INSTALL_LOCK:
        for name in names:
            logger = logging.getLogger(name)
            if not any(isinstance(f, PhoneNumberMask) for f in logger.filters):
                logger.addFilter(PhoneNumberMask())
