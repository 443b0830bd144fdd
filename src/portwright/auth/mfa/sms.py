"""Codes sent by SMS, read back through the provider's Messages API with the real
``twilio`` client.

``prepare()`` notes the messages already on the account's number; the wait then lists
messages sent to that number and takes the newest one not listed then and not used yet,
extracting the code with the flow's regex. The provider filters by recipient (``To=``):
one provider account often serves several portal accounts with different phones, and a
listing of the whole account's newest page would let their texts crowd this number's
code out of it. Each message's recipient is checked again here all the same, so a
provider that ignored the filter could still never hand over another number's code.
Message dates are the provider's clock, so they only narrow the listing (by day, with a
day to spare), never decide what is new.
The API base is configurable (``api_base``), which is how tests point the real client at
the sandbox's Twilio-compatible endpoint. The account SID, auth token and phone number
come from the credential store and appear in errors only masked; the number is in every
request URL, so the HTTP stack's loggers get a filter that masks it
(``phone_log_mask``).

The client is blocking, so each listing runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from portwright.auth.mfa.clock import Clock, SystemClock
from portwright.auth.mfa.extraction import compile_pattern, extract_code
from portwright.auth.mfa.phone_log_mask import PROVIDER_LOGGERS, install_phone_number_mask
from portwright.auth.mfa.source import mask_number
from portwright.exceptions import MfaError, MfaTimeout

__all__ = ["SmsAccount", "SmsCodeSource"]

#: The twilio client logs every request URL and query at INFO; ours carry secrets.
_QUIET = logging.getLogger("portwright.auth.mfa.sms.provider")
_QUIET.setLevel(logging.WARNING)


@dataclass(frozen=True)
class SmsAccount:
    """The provider account and the number codes are sent to. All three are secrets."""

    account_sid: str
    auth_token: str
    number: str
    api_base: str | None = None

    def __repr__(self) -> str:
        return f"SmsAccount(number={mask_number(self.number)})"


def _same_number(a: str, b: str) -> bool:
    return [c for c in a if c.isdigit()] == [c for c in b if c.isdigit()]


def _e164(number: str) -> str:
    """``+1 (555) 123-4567`` → ``+15551234567``: the form the provider stores and filters by."""
    return "+" + "".join(c for c in number if c.isdigit())


class SmsCodeSource:
    """Codes from the newest SMS to ``account.number`` sent after ``prepare()``."""

    def __init__(
        self,
        account: SmsAccount,
        pattern: str,
        *,
        clock: Clock | None = None,
        poll_interval_s: float = 0.25,
        page_size: int = 50,
    ) -> None:
        self.account = account
        self.clock = clock or SystemClock()
        self.poll_interval_s = poll_interval_s
        self.page_size = page_size
        self._pattern = compile_pattern(pattern)
        # before the client exists: its first request line must already be masked
        install_phone_number_mask((*PROVIDER_LOGGERS, _QUIET.name))
        self._client = Client(account.account_sid, account.auth_token,
                              http_client=TwilioHttpClient(logger=_QUIET))
        if account.api_base:
            self._client.api.base_url = account.api_base.rstrip("/")
        self._requested_at: datetime | None = None
        self._seen: set[str] = set()

    @property
    def channel(self) -> str:
        return f"SMS to {mask_number(self.account.number)}"

    def _list(self) -> list[Any]:
        # To= makes the provider page through this number's texts only (the loggers that
        # write request URLs mask it); the recipient check below is the safety net.
        kwargs: dict[str, Any] = {"to": _e164(self.account.number), "limit": self.page_size}
        if self._requested_at is not None:
            # The API filters by day only; the exact cut is made below.
            kwargs["date_sent_after"] = self._requested_at - timedelta(days=1)
        try:
            return [m for m in self._client.messages.list(**kwargs)
                    if _same_number(str(m.to or ""), self.account.number)]
        except TwilioException as exc:
            status = getattr(exc, "status", None)
            raise MfaError(
                f"cannot list messages for {self.channel}: "
                f"{type(exc).__name__}{f' (HTTP {status})' if status else ''}",
                hint="check the twilio_account_sid / twilio_auth_token secrets and api_base",
            ) from None

    async def prepare(self) -> None:
        """Remember the time and the messages already there: only newer ones count."""
        self._requested_at = datetime.fromtimestamp(int(self.clock.now()), tz=UTC)
        existing = await asyncio.to_thread(self._list)
        self._seen.update(str(m.sid) for m in existing)

    def _pick(self, messages: list[Any]) -> str | None:
        # "New" means "not listed before the request" (the sids ``prepare`` noted), never
        # "sent after our clock's now": the provider stamps messages with its own clock,
        # and a host clock a few seconds ahead would discard the very code it waits for.
        fresh = [m for m in messages if str(m.sid) not in self._seen]
        fresh.sort(key=lambda m: m.date_sent or datetime.min.replace(tzinfo=UTC), reverse=True)
        for message in fresh:
            code = extract_code(str(message.body or ""), self._pattern)
            self._seen.add(str(message.sid))
            if code is not None:
                return code
        return None

    async def next_code(self, timeout_s: float) -> str:
        """Poll the Messages API until a new code arrives or ``timeout_s`` passes."""
        started = self.clock.now()
        while True:
            code = self._pick(await asyncio.to_thread(self._list))
            if code is not None:
                return code
            waited = self.clock.now() - started
            if waited >= timeout_s:
                raise MfaTimeout(
                    f"no text with a code arrived ({self.channel}) after the code was "
                    f"requested; waited {waited:.1f} s",
                    hint="check that the portal sends codes to this number",
                )
            await self.clock.sleep(min(self.poll_interval_s, timeout_s - waited))
