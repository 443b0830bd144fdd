"""``mfa``: obtain a one-time code (TOTP, email or SMS), type it, submit it, confirm.

The step owns the whole second factor because only it knows the timing that matters:
the channel is snapshotted *before* ``request`` is clicked (the click that makes the
portal send a code — often the sign-in button itself), so only a code sent after that
moment is used. After submitting, it waits for either ``success`` (signed in) or
``rejected`` (the portal's "invalid code" message): a rejection is reported as
``MfaCodeRejected``, never as a timeout, and with ``resend`` (or for TOTP, the next
window) one new code may be tried.

With ``method: auto`` the factor is whichever one the account has secrets for, so one
login flow serves accounts with different factors (and none).

Where codes come from is configured by secrets of the flow's portal (per account):
TOTP ``totp_secret``; email ``imap_host``, ``imap_port``, ``imap_tls``, ``imap_user``,
``imap_password``; SMS ``twilio_account_sid``, ``twilio_auth_token``, ``sms_number``
(and optionally ``twilio_api_base``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from portwright.flow.steps.base import StepBase

DEFAULT_CODE_PATTERN = r"\b(\d{6,8})\b"


class MessageMatch(BaseModel):
    """Which email carries the code: substrings of its sender and subject."""

    model_config = ConfigDict(extra="forbid")

    sender: str | None = None
    subject: str | None = None
    folder: str = "INBOX"


class MfaStep(StepBase):
    """Fill ``code`` with a fresh code from ``method`` and submit it with ``submit``."""

    action: Literal["mfa"]
    method: Literal["totp", "email", "sms", "auto"] = Field(
        description="auto: the factor configured for the account (totp_secret, sms_number "
        "or imap_user secret), or none (then only 'request' is clicked)."
    )
    code: str = Field(description="Logical name of the code input.")
    submit: str = Field(description="Logical name of the button that submits the code.")
    success: str = Field(description="Logical name visible once the code is accepted.")
    rejected: str = Field(description="Logical name of the portal's 'invalid code' message.")
    request: str | None = Field(
        default=None,
        description="Logical name clicked to make the portal send the code (snapshot first).",
    )
    login_failed: str | None = Field(
        default=None,
        description="Logical name of the portal's sign-in error (wrong password, locked), "
        "checked after 'request': reported as LoginFailed.",
    )
    resend: str | None = Field(
        default=None, description="Logical name that asks the portal for a new code."
    )
    new_code_on_reject: bool = Field(
        default=True, description="After a rejection, try one new code (resend/next window)."
    )
    pattern: str = Field(
        default=DEFAULT_CODE_PATTERN, description="Regex finding the code in a message."
    )
    match: MessageMatch = Field(default_factory=MessageMatch, description="Email rules.")
    api_base: str | None = Field(
        default=None, description="SMS provider API base (templated), e.g. a sandbox."
    )
    secrets_of: str | None = Field(
        default=None, description="Portal whose secrets hold the factor (default: the flow's)."
    )
    totp_secret: str = Field(default="totp_secret", description="Secret name of the seed.")
    code_timeout_s: float = Field(default=60.0, gt=0, le=600)

    may_mutate: ClassVar[bool] = False
    #: it types a one-time code: the runner keeps it out of traces
    handles_secrets: ClassVar[bool] = True

    def selector_names(self) -> Iterator[str]:
        yield from (self.code, self.submit, self.success, self.rejected)
        if self.request:
            yield self.request
        if self.resend:
            yield self.resend
        if self.login_failed:
            yield self.login_failed
