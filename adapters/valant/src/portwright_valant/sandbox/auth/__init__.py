"""Sign-in for the Valant sandbox: accounts, password + MFA, SSO, sessions and roles.

What the rest of the sandbox uses:

- ``AUTH_SCHEMA_SQL`` and ``seed_accounts(conn, config)`` at database creation;
- ``install_auth(app, state)`` once per app: mounts ``/login``, ``/login/mfa``,
  ``/logout``, ``/sso/*``, the identity provider under ``/idp``, the Twilio-compatible
  API under ``/twilio``, ``/admin/users`` and ``/api/me``, and the handlers that turn a
  missing session into a redirect (pages) or a 401 (``/api/...``);
- the dependencies ``current_user`` and ``require_role(*roles)`` returning a ``User``;
- CSRF comes from ``portwright_valant.sandbox.csrf`` (``csrf_token``, ``verify_csrf``),
  re-exported here for convenience.
"""

from __future__ import annotations

from fastapi import FastAPI

from portwright_valant.sandbox.auth.accounts import ACCOUNTS, IDP_ACCOUNTS, mailboxes, seed_accounts
from portwright_valant.sandbox.auth.admin import install_admin
from portwright_valant.sandbox.auth.guards import (
    current_user,
    install_guard_handlers,
    optional_user,
    require_role,
)
from portwright_valant.sandbox.auth.idp import install_idp
from portwright_valant.sandbox.auth.login import install_login
from portwright_valant.sandbox.auth.roles import ROLES, Role
from portwright_valant.sandbox.auth.runtime import AuthRuntime
from portwright_valant.sandbox.auth.schema import AUTH_SCHEMA_SQL
from portwright_valant.sandbox.auth.sso import install_sso
from portwright_valant.sandbox.auth.twilio_api import install_twilio_api
from portwright_valant.sandbox.auth.users import User
from portwright_valant.sandbox.csrf import csrf_token, verify_csrf
from portwright_valant.sandbox.state import SandboxState

__all__ = [
    "ACCOUNTS",
    "AUTH_SCHEMA_SQL",
    "IDP_ACCOUNTS",
    "ROLES",
    "AuthRuntime",
    "Role",
    "User",
    "csrf_token",
    "current_user",
    "install_auth",
    "mailboxes",
    "optional_user",
    "require_role",
    "seed_accounts",
    "verify_csrf",
]


def install_auth(app: FastAPI, state: SandboxState) -> AuthRuntime:
    """Mount every sign-in route and handler on ``app``; returns ``app.state.auth``."""
    runtime = AuthRuntime(state)
    app.state.auth = runtime
    install_guard_handlers(app)
    install_login(app)
    install_sso(app)
    install_idp(app)
    install_twilio_api(app)
    install_admin(app)
    return runtime
