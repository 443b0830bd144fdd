"""Credentials the portal refused, remembered so that runs stop trying them.

Portals lock an account after a few refused sign-ins in a row (the Valant sandbox after
five). Scheduled runs that each try the same wrong password once would lock it within
the hour. So a refusal (``LoginFailed``) is recorded per account with a keyed
fingerprint of the credentials used (see ``fingerprint``), Fernet-encrypted in
``<state>/refused/<portal>/<account>.refused``; later logins with the same credentials
are refused here, before the portal sees them. Changing the secret (or
``portwright login --force``) clears it, and so does a successful login.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from portwright.auth.credentials.naming import SecretKey
from portwright.auth.sessions.fingerprint import Fingerprint
from portwright.exceptions import LoginFailed
from portwright.private_file import write_private_file

__all__ = ["RefusedLogins"]


class RefusedLogins:
    """One encrypted record per account whose credentials the portal refused."""

    def __init__(self, state_dir: Path, fernet_factory: Callable[[], Fernet]) -> None:
        self.root = state_dir / "refused"
        self._fernet_factory = fernet_factory

    def path(self, portal: str, account: str) -> Path:
        SecretKey(portal=portal, name="refused", account=account)  # validates both names
        return self.root / portal / f"{account}.refused"

    def record(self, portal: str, account: str, credentials: Mapping[str, str]) -> None:
        """Remember that the portal refused ``credentials`` (names → values)."""
        if not credentials:
            return
        path = self.path(portal, account)
        data = {"at": time.time(), "credentials": Fingerprint.of(credentials).to_json()}
        token = self._fernet_factory().encrypt(json.dumps(data).encode())
        write_private_file(path, token)

    def clear(self, portal: str, account: str) -> None:
        self.path(portal, account).unlink(missing_ok=True)

    def _refused_at(self, portal: str, account: str, credentials: Mapping[str, str]
                    ) -> float | None:
        path = self.path(portal, account)
        if not path.exists():
            return None
        try:
            data = json.loads(self._fernet_factory().decrypt(path.read_bytes()))
        except (InvalidToken, ValueError):
            data = None  # another key or a damaged file: it cannot say anything
        fingerprint = Fingerprint.from_json(data.get("credentials")) if isinstance(
            data, dict) else None
        if fingerprint is None or not fingerprint.matches(credentials):
            self.clear(portal, account)  # the secret changed since: try it
            return None
        return float(data["at"]) if isinstance(data, dict) else None

    def check(self, portal: str, account: str, credentials: Mapping[str, str]) -> None:
        """``LoginFailed`` if the portal already refused exactly these credentials."""
        if not credentials:
            return
        at = self._refused_at(portal, account, credentials)
        if at is None:
            return
        when = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        flag = f" --account {account}"
        raise LoginFailed(
            f"the portal refused the sign-in of {portal}/{account} at {when} and its "
            f"credentials have not changed since; not trying them again (repeated refusals "
            f"lock the account)",
            hint=f"fix the secret (portwright secrets set {portal} password{flag}); if the "
            f"portal was at fault, portwright login {portal}{flag} --force",
        )
