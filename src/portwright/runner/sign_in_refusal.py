"""A sign-in the portal refused is not tried again with the same credentials.

Runs of one account queue on its session. When the portal refuses the account's
password, every run queued behind the refused one would sign in again with the same
password: eight requests, eight refusals, and a portal that locks an account after a
few. So the session keeps a keyed fingerprint of the refused credentials (never the
values, see :class:`~portwright.auth.sessions.fingerprint.Fingerprint`), and a run on it
fails at once with ``LoginFailed`` until the secrets change or the session is dropped.
"""

from __future__ import annotations

from portwright.auth.sessions.fingerprint import Fingerprint
from portwright.auth.sign_in_secrets import CREDENTIAL_SECRETS, resolved_secrets
from portwright.exceptions import LoginFailed
from portwright.runner.session import Session
from portwright.templating import SecretResolver

__all__ = ["refuse_if_refused", "remember_refusal"]


def remember_refusal(session: Session, secrets: SecretResolver, account: str | None) -> None:
    """Note that the portal refused ``session``'s credentials (as they are now)."""
    credentials = resolved_secrets(secrets, session.key.portal, account, CREDENTIAL_SECRETS)
    if credentials:
        session.refused = Fingerprint.of(credentials)


def refuse_if_refused(session: Session, secrets: SecretResolver, account: str | None) -> None:
    """``LoginFailed`` before a run whose session's credentials the portal refused and
    that have not changed since; a changed secret clears the refusal and is tried."""
    if session.refused is None:
        return
    portal = session.key.portal
    if not session.refused.matches(resolved_secrets(secrets, portal, account,
                                                    CREDENTIAL_SECRETS)):
        session.refused = None   # the secret changed: try it
        return
    raise LoginFailed(
        f"the portal refused the sign-in of {portal}/{session.key.account} on this "
        "engine and its credentials have not changed since; not trying them again "
        "(repeated refusals lock the account)",
        hint=f"fix the secret; if the portal was at fault, "
             f"engine.drop_session({portal!r}, {session.key.account!r}) tries again")
