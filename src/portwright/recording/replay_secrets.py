"""What stands in for credentials and second factors when a flow runs against a recording.

A replay has no credential store, mailbox or phone, and needs none: the recording holds
placeholders where passwords, usernames and MFA codes were, and replay matching ignores
secret fields. So secrets resolve to the placeholder of their kind, and every MFA method
is served by ``RecordedCodeSource``, whose code is the recorded one (the MFA placeholder,
exactly what the scrubbed recording shows) — never pyotp, IMAP or SMS.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from portwright.exceptions import CredentialError
from portwright.recording.scrub.kinds import PLACEHOLDERS, SecretKind
from portwright.recording.scrub.policy import ScrubPolicy

__all__ = ["RecordedCodeSource", "RecordingSecrets", "ReplaySecrets", "recorded_mfa"]


class RecordingSecrets:
    """Wraps the real resolver while recording, remembering which secret *names* resolved.

    A flow may branch on which secrets exist (``method: auto`` picks the second factor
    whose secret the account has); the names go into ``meta.json`` (never the values) so
    a replay takes the same branch.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.names: set[str] = set()

    def resolve(self, portal: str, name: str, *, account: str | None = None) -> str:
        value: str = self.inner.resolve(portal, name, account=account)
        self.names.add(f"{portal}.{name}")
        return value


class ReplaySecrets:
    """A ``SecretResolver`` giving each secret the placeholder the recording holds for it.

    Only secrets the recorded run could resolve exist (``available``, from ``meta.json``);
    any other raises ``CredentialError`` as it did while recording.
    """

    def __init__(self, policy: ScrubPolicy, available: set[str] | None = None) -> None:
        self.policy = policy
        self.available = available

    def resolve(self, portal: str, name: str, *, account: str | None = None) -> str:
        if self.available is not None and f"{portal}.{name}" not in self.available:
            raise CredentialError(f"secret 'secrets.{portal}.{name}' was not set when this "
                                  "recording was made")
        kind = self.policy.field_kind(name)
        if isinstance(kind, SecretKind):
            return PLACEHOLDERS[kind]
        low = name.lower()
        if "password" in low:
            return PLACEHOLDERS[SecretKind.PASSWORD]
        if "port" in low:
            return "1"  # a number where a number is expected; nothing connects anywhere
        return PLACEHOLDERS[SecretKind.SECRET]


class RecordedCodeSource:
    """An MFA code source that answers with the code as the recording holds it."""

    channel = "the recording"

    def __init__(self, code: str = PLACEHOLDERS[SecretKind.MFA_CODE]) -> None:
        self.code = code

    async def prepare(self) -> None:
        return None

    async def next_code(self, timeout_s: float) -> str:
        return self.code


@contextlib.contextmanager
def recorded_mfa() -> Iterator[None]:
    """Serve every MFA method from the recording for the duration of the block."""
    try:
        from portwright.auth.mfa import methods
    except ImportError:  # no MFA support installed: nothing to swap
        yield
        return
    saved = dict(methods.METHODS)

    def build(step: Any, ctx: Any) -> RecordedCodeSource:
        return RecordedCodeSource()

    try:
        for name in saved:
            methods.METHODS[name] = build
        yield
    finally:
        methods.METHODS.clear()
        methods.METHODS.update(saved)
