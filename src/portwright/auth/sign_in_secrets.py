"""Which secrets say who an account signs in as, and which ones the portal checks.

Shared by :class:`~portwright.auth.portal_auth.PortalAuth` (saved sessions, refused
logins on disk) and the engine itself (a refusal remembered per session), so that both
notice the same change of credentials.
"""

from __future__ import annotations

from portwright.exceptions import PortwrightError
from portwright.templating import SecretResolver

__all__ = ["CREDENTIAL_SECRETS", "IDENTITY_SECRETS", "resolved_secrets"]

#: the secrets that say who an account signs in as: a saved session of another is not reused
IDENTITY_SECRETS = ("username", "sso_username")
#: what the portal checks at sign-in: once refused, not tried again until one changes
CREDENTIAL_SECRETS = ("username", "password", "sso_username", "sso_password")


def resolved_secrets(secrets: SecretResolver, portal: str, account: str | None,
                     names: tuple[str, ...]) -> dict[str, str]:
    """The values of those of ``names`` the account has (for fingerprints only: never
    logged or stored as they are)."""
    found: dict[str, str] = {}
    for name in names:
        try:
            found[name] = secrets.resolve(portal, name, account=account)
        except PortwrightError:
            continue
    return found
