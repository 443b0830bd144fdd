"""Second factors: one module per method, each a ``CodeSource`` for one account.

* ``totp``: computed codes, fresh window, never the same step twice (``totp_ledger``);
* ``email``: codes emailed to a mailbox read over IMAP (IDLE or polling);
* ``sms``: codes texted to a number, read back through the twilio client.

The ``mfa`` flow step (``portwright.steps``) builds the right source from the method
name through ``portwright.auth.mfa.methods.METHODS``.
"""

from __future__ import annotations

from portwright.auth.mfa.clock import Clock, SystemClock
from portwright.auth.mfa.email import EmailCodeSource, EmailRules, Mailbox
from portwright.auth.mfa.extraction import DEFAULT_CODE_PATTERN, extract_code
from portwright.auth.mfa.sms import SmsAccount, SmsCodeSource
from portwright.auth.mfa.source import CodeSource, mask_number
from portwright.auth.mfa.totp import TotpCodeSource
from portwright.auth.mfa.totp_ledger import TotpLedger

__all__ = [
    "DEFAULT_CODE_PATTERN",
    "Clock",
    "CodeSource",
    "EmailCodeSource",
    "EmailRules",
    "Mailbox",
    "SmsAccount",
    "SmsCodeSource",
    "SystemClock",
    "TotpCodeSource",
    "TotpLedger",
    "extract_code",
    "mask_number",
]
