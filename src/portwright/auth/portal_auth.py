"""Sessions for the engine: saved storage restored, health checked, logins serialized,
and expiry in the middle of a flow recovered.

``PortalAuth(engine)`` wires the auth layer into an :class:`~portwright.Engine`:

* ``ensure(portal, account)`` leaves the engine's session for that account logged in —
  reusing the saved session when the portal's health-check flow says it is good, or
  running the login flow under the account's cross-process lock (see
  ``sessions.manager``);
* ``run(flow, ...)`` = ``ensure`` + ``engine.run``;
* it installs itself as ``engine.recovery``: when a step fails and the health check says
  the session is gone, it re-logs in (same lock) and resumes at the failed step, after
  re-running the flow's last ``goto`` so the page is where the step expects it. A step
  that mutates and may have landed is never simply repeated: if it is a ``retry`` block
  with an idempotency check, the check runs first ("landed" → skip, else run again);
  otherwise ``SessionExpired`` is raised (the session is renewed, the write is not
  repeated), and an enclosing retry block with an idempotency check handles it.

Conventions (all overridable): the login flow of an account is the ``login_flow``
setting of that account in the credential store, else ``<portal>.login``; the health
check is ``<portal>.session.check``, a flow that finishes with an output ``healthy``
(true only when signed in) — or, without that output, succeeds only when signed in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from portwright.auth.sessions.manager import EnsureOutcome, LoginTarget, SessionManager
from portwright.auth.sessions.snapshot import install
from portwright.auth.sessions.vault import SavedSession
from portwright.auth.sign_in_page import acted_on_nothing
from portwright.auth.sign_in_secrets import CREDENTIAL_SECRETS, IDENTITY_SECRETS, resolved_secrets
from portwright.exceptions import (
    CredentialError,
    PortwrightError,
    SelectorError,
    SessionExpired,
)
from portwright.flow.steps.base import StepBase
from portwright.flow.steps.goto import GotoStep
from portwright.runner.inputs import coerce_inputs
from portwright.runner.recovery import RecoveryDecision
from portwright.runner.session import SessionKey

if TYPE_CHECKING:
    from portwright.runner.context import RunContext
    from portwright.runner.engine import Engine
    from portwright.runner.result import RunResult

__all__ = ["DEFAULT_ACCOUNT", "PortalAuth"]

DEFAULT_ACCOUNT = "default"
_RECOVERING = "auth_recovering"


def _steps_within(step: StepBase) -> Iterator[StepBase]:
    yield step
    for _, children in step.children():
        for child in children:
            yield from _steps_within(child)


def _may_have_landed(step: StepBase, run: RunContext, error: PortwrightError) -> bool:
    """A step that changes data may have done so before failing — unless it is a single
    step whose element was never found, or that met the portal's sign-in page at its
    first name (it acted on nothing, see ``sign_in_page``)."""
    steps = list(_steps_within(step))
    if not any(s.is_mutating(run.flow.mutates) for s in steps):
        return False
    return not (len(steps) == 1 and (isinstance(error, SelectorError)
                                     or acted_on_nothing(error)))


class PortalAuth:
    """The engine's sessions, kept logged in. One per engine."""

    def __init__(
        self,
        engine: Engine,
        *,
        manager: SessionManager | None = None,
        login_flows: Mapping[str, str] | None = None,
        health_flows: Mapping[str, str] | None = None,
    ) -> None:
        self.engine = engine
        self.manager = manager or SessionManager(engine.settings.path("state"))
        #: "portal" or "portal/account" → login flow name
        self.login_flows = dict(login_flows or {})
        #: "portal" → health-check flow name
        self.health_flows = dict(health_flows or {})
        self._installed: dict[SessionKey, SavedSession | None] = {}
        #: how many mid-flow re-logins happened (a test or a log reads it)
        self.recoveries = 0
        engine.recovery = self

    # -- which flows ----------------------------------------------------------------
    def login_flow(self, portal: str, account: str | None) -> str:
        name = account or DEFAULT_ACCOUNT
        explicit = self.login_flows.get(f"{portal}/{name}") or self.login_flows.get(portal)
        if explicit:
            return explicit
        try:
            return self.engine.secrets.resolve(portal, "login_flow", account=account)
        except CredentialError:
            return f"{portal}.login"

    def health_flow(self, portal: str) -> str:
        return self.health_flows.get(portal) or f"{portal}.session.check"

    # -- before a run -----------------------------------------------------------------
    def _secrets(self, portal: str, account: str | None, names: tuple[str, ...]
                 ) -> dict[str, str]:
        """The values of those of ``names`` the account has (for fingerprints only)."""
        return resolved_secrets(self.engine.secrets, portal, account, names)

    async def _target(self, portal: str, account: str | None) -> LoginTarget:
        """What the manager needs to keep the engine's (portal, account) session logged in."""
        session = await self.engine.session(portal, account)

        async def login() -> None:
            await self.engine.run(self.login_flow(portal, account), account=account)

        return LoginTarget(
            context=session.context, portal=portal, account=session.key.account,
            login=login, health=lambda: self._healthy(portal, account),
            guard=lambda: session.lock,
            identity=self._secrets(portal, account, IDENTITY_SECRETS),
            credentials=self._secrets(portal, account, CREDENTIAL_SECRETS),
            # the instance signed in at: a session saved at another (staging, another
            # practice on the host) is not this one's
            portal_url=self.engine.portal_urls.get(portal)
            or self.engine.stored_base_url(portal, account),
        )

    async def _prepare(self, target: LoginTarget) -> SessionKey:
        """The engine's session, with the saved session installed on first use (only one
        logged in as the account's current identity). Call under ``manager.serial``."""
        key = SessionKey(target.portal, target.account)
        if key not in self._installed:
            saved = self.manager.load(target.portal, target.account, target.identity,
                                      portal_url=target.portal_url)
            if saved is not None:
                async with target.guard():
                    await install(target.context, saved.snapshot)
            self._installed[key] = saved
        return key

    async def _healthy(self, portal: str, account: str | None) -> bool:
        try:
            result = await self.engine.run(self.health_flow(portal), account=account,
                                           trace="off")
        except PortwrightError:
            return False
        return bool(result.outputs.get("healthy", True))

    async def ensure(self, portal: str, account: str | None = None, *,
                     force_login: bool = False) -> EnsureOutcome:
        """Leave the engine's (portal, account) session logged in; say how.

        Tasks ensuring the same account take turns (``manager.serial``): the second
        finds the first one's session healthy rather than logging in over it.
        ``force_login``: log in even when the saved session works (``login --force``).
        """
        # The lock comes first: the engine creates the session on first use, and two
        # tasks creating it at once would each get a browser context of their own.
        async with self.manager.serial(portal, SessionKey(portal, account or "default").account):
            target = await self._target(portal, account)
            if force_login:   # the engine's own memory of a refusal must not stop it
                (await self.engine.session(portal, account)).refused = None
            key = await self._prepare(target)
            outcome = await self.manager.ensure(
                target, installed=self._installed[key], force=force_login,
            )
            self._installed[key] = outcome.saved
        return outcome

    async def check(self, portal: str, account: str | None = None) -> bool:
        """Whether the saved session of the account is still good (no login attempted)."""
        async with self.manager.serial(portal, SessionKey(portal, account or "default").account):
            target = await self._target(portal, account)
            key = await self._prepare(target)
            if self._installed[key] is None:
                return False
            return await self._healthy(portal, account)

    def manages(self, portal: str) -> bool:
        """Whether the portal has a health-check flow (else sessions are left alone)."""
        try:
            self.engine.flow(self.health_flow(portal))
        except PortwrightError:
            return False
        return True

    async def run(self, flow: str, inputs: Mapping[str, Any] | None = None, *,
                  account: str | None = None, portal_url: str | None = None,
                  **options: Any) -> RunResult:
        """Ensure the session (for portals with a health check), then run ``flow``.
        Inputs and a pinned selector-map version are checked first: a typo must not cost
        a login (with its MFA wait)."""
        spec = self.engine.flow(flow)
        coerce_inputs(spec, inputs or {})
        portal = spec.portal
        self.engine.check_pin(portal, options.get("selector_version"))
        if portal_url:
            self.engine.portal_urls.setdefault(portal, portal_url)
        if self.manages(portal):
            await self.ensure(portal, account)
        return await self.engine.run(flow, inputs, account=account, portal_url=portal_url,
                                     **options)

    # -- during a run (engine.recovery) --------------------------------------------------
    async def _healthy_in_run(self, run: RunContext) -> bool:
        try:
            outputs = await run.call(self.health_flow(run.state.portal), {})
        except PortwrightError:
            return False
        return bool(outputs.get("healthy", True))

    def _is_auth_flow(self, run: RunContext) -> bool:
        """Login and health-check flows are never "recovered" (that would recurse)."""
        portal = run.state.portal
        name = run.flow.flow
        return name in (self.login_flow(portal, run.state.account), self.health_flow(portal)) \
            or name == f"{portal}.login" or name.startswith(f"{portal}.login.")

    async def recover(self, step: StepBase, run: RunContext, error: PortwrightError
                      ) -> RecoveryDecision:
        if error.flow_mistake:
            return None  # a flow's own mistake: logging in again cannot mend it
        state = run.state
        if state.extras.get(_RECOVERING) or self._is_auth_flow(run) \
                or not self.manages(state.portal):
            return None
        if isinstance(error, SessionExpired) and getattr(error, "renewed", False):
            # A mutating step below expired and may have landed; this enclosing step can
            # resume only if it knows how to check.
            return await self._resume_mutating(step, run, error)
        state.extras[_RECOVERING] = True
        try:
            if await self._healthy_in_run(run):
                return None  # the session is fine: the failure is the step's own
            key = state.session.key

            async def login() -> None:
                await run.call(self.login_flow(state.portal, state.account), {})

            # This run holds the session: no guard, and the account lock is borrowed
            # from a task of this process that holds it while parked on this session.
            target = LoginTarget(
                context=run.context, portal=state.portal, account=key.account,
                login=login, health=lambda: self._healthy_in_run(run),
                identity=self._secrets(state.portal, state.account, IDENTITY_SECRETS),
                credentials=self._secrets(state.portal, state.account, CREDENTIAL_SECRETS),
                portal_url=state.portal_url,
            )
            outcome = await self.manager.ensure(
                target, installed=self._installed.get(key), known_bad=True, in_run=True,
            )
            self._installed[key] = outcome.saved
            self.recoveries += 1
        finally:
            state.extras.pop(_RECOVERING, None)
        if _may_have_landed(step, run, error):
            expired = SessionExpired(
                f"{run.flow.flow} step {step.title}: the session expired during a step that "
                "changes data and may have landed; it is not repeated (the session was "
                "renewed)",
                hint="wrap the step in a 'retry' block with an idempotency check so it can "
                "resume safely",
            )
            expired.renewed = True  # type: ignore[attr-defined]
            return await self._resume_mutating(step, run, expired)
        await self._restore_page(step, run)
        return "retry"

    async def _resume_mutating(self, step: StepBase, run: RunContext,
                               expired: SessionExpired) -> RecoveryDecision:
        check = getattr(step, "idempotency", None)
        if check is None:
            raise expired
        await run.run_steps(check.steps)
        if run.evaluate(check.landed):
            run.note(step, landed=True)
            return "skip"
        await self._restore_page(step, run)
        return "retry"

    async def _restore_page(self, step: StepBase, run: RunContext) -> None:
        """Re-run the flow's last ``goto`` before ``step`` (the login moved the page)."""
        if isinstance(step, GotoStep):
            return
        last: GotoStep | None = None
        for candidate in run.flow.walk():
            if candidate is step:
                break
            if isinstance(candidate, GotoStep):
                last = candidate
        if last is not None:
            await run.run_steps([last])
