"""The registry the ``mfa`` step uses: method name → how to build its code source.

Each builder reads what it needs from the credential store (through ``FactorContext``)
and the step (email rules, code pattern, API base). Adding a method means one module
with a source, one builder here and one line in ``METHODS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from portwright.auth.mfa.clock import Clock, SystemClock
from portwright.auth.mfa.email import EmailCodeSource, EmailRules, Mailbox
from portwright.auth.mfa.sms import SmsAccount, SmsCodeSource
from portwright.auth.mfa.source import CodeSource
from portwright.auth.mfa.totp import TotpCodeSource, seed_problem
from portwright.auth.mfa.totp_ledger import TotpLedger
from portwright.exceptions import CredentialError

if TYPE_CHECKING:
    from portwright.flow.steps.mfa import MfaStep

__all__ = ["AUTO_DETECT", "METHODS", "FactorContext", "build_code_source", "method_for"]

_TRUE = {"1", "true", "yes", "on"}


@dataclass
class FactorContext:
    """What a builder may use: whose factor it is, its secrets, the state folder, a clock."""

    portal: str
    account: str
    secret: Callable[[str], str]
    state_dir: Path
    clock: Clock = field(default_factory=SystemClock)
    api_base: str | None = None

    def optional(self, name: str) -> str | None:
        try:
            return self.secret(name)
        except CredentialError:
            return None


def build_totp(step: MfaStep, ctx: FactorContext) -> CodeSource:
    seed = ctx.secret(step.totp_secret)
    problem = seed_problem(seed)
    if problem is not None:
        # Found now, before the password is typed: after it, the portal would count a
        # failed sign-in for a mistake that is ours. The value stays out of the message.
        raise CredentialError(
            f"secret 'secrets.{ctx.portal}.{step.totp_secret}' of account '{ctx.account}' "
            f"{problem}",
            hint=f"set it to the seed the portal showed when the authenticator was added: "
            f"portwright secrets set {ctx.portal} {step.totp_secret} --account {ctx.account}",
        )
    return TotpCodeSource(
        seed,
        portal=ctx.portal,
        account=ctx.account,
        ledger=TotpLedger(ctx.state_dir),
        clock=ctx.clock,
    )


def build_email(step: MfaStep, ctx: FactorContext) -> CodeSource:
    port_text = ctx.secret("imap_port")
    try:
        port = int(port_text)
    except ValueError:
        raise CredentialError(
            f"secret 'secrets.{ctx.portal}.imap_port' is not a port number",
            hint="set it to the IMAP port, e.g. 993",
        ) from None
    mailbox = Mailbox(
        host=ctx.secret("imap_host"),
        port=port,
        user=ctx.secret("imap_user"),
        password=ctx.secret("imap_password"),
        tls=(ctx.optional("imap_tls") or "true").strip().lower() in _TRUE,
        folder=step.match.folder,
    )
    rules = EmailRules(pattern=step.pattern, sender=step.match.sender, subject=step.match.subject)
    return EmailCodeSource(mailbox, rules)


def build_sms(step: MfaStep, ctx: FactorContext) -> CodeSource:
    account = SmsAccount(
        account_sid=ctx.secret("twilio_account_sid"),
        auth_token=ctx.secret("twilio_auth_token"),
        number=ctx.secret("sms_number"),
        api_base=ctx.api_base or ctx.optional("twilio_api_base"),
    )
    return SmsCodeSource(account, step.pattern, clock=ctx.clock)


Builder = Callable[["MfaStep", FactorContext], CodeSource]

#: one line per second-factor method
METHODS: dict[str, Builder] = {
    "totp": build_totp,
    "email": build_email,
    "sms": build_sms,
}


#: ``method: auto`` picks the first method whose secret the account has
AUTO_DETECT: tuple[tuple[str, str], ...] = (
    ("totp", "totp_secret"),
    ("sms", "sms_number"),
    ("email", "imap_user"),
)


def method_for(step: MfaStep, ctx: FactorContext) -> str | None:
    """The method to use; ``None`` when ``auto`` finds no factor (no MFA)."""
    if step.method != "auto":
        return step.method
    for method, secret in AUTO_DETECT:
        name = step.totp_secret if method == "totp" else secret
        if ctx.optional(name) is not None:
            return method
    return None


def build_code_source(method: str, step: MfaStep, ctx: FactorContext) -> CodeSource:
    return METHODS[method](step, ctx)
