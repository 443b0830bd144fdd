"""Handler of ``mfa``: snapshot the channel, make the portal send, read, type, submit,
then tell acceptance from rejection.

A rejection is ``MfaCodeRejected`` carrying the portal's own words (codes and secrets
redacted); a code that never arrives is ``MfaTimeout`` from the channel; a sign-in error
shown after ``request`` is ``LoginFailed``. With ``new_code_on_reject`` one more code is
tried: after clicking ``resend`` for delivered codes, or simply the next window for TOTP.
"""

from __future__ import annotations

from playwright.async_api import ElementHandle, Locator
from playwright.async_api import Error as PlaywrightError

from portwright.auth.mfa.methods import (
    AUTO_DETECT,
    FactorContext,
    build_code_source,
    method_for,
)
from portwright.exceptions import LoginFailed, MfaCodeRejected, MfaError
from portwright.flow.steps.mfa import MfaStep
from portwright.runner.context import RunContext


async def _any_of(run: RunContext, name: str) -> Locator:
    """Every strategy of ``name`` at once (for waiting on a state without resolving)."""
    resolver = await run.resolver()
    locators = [loc for _, loc in resolver.locators(name, run.page)]
    combined = locators[0]
    for extra in locators[1:]:
        combined = combined.or_(extra)
    return combined


async def _message(loc: Locator, fallback: str) -> str:
    text = (await loc.first.inner_text()).strip()
    return " ".join(text.split()) or fallback


async def _first_visible(run: RunContext, step: MfaStep, *names: str | None) -> str:
    """Wait until one of ``names`` is visible; return which."""
    given = [n for n in names if n]
    locs = {n: await _any_of(run, n) for n in given}
    combined = locs[given[0]]
    for name in given[1:]:
        combined = combined.or_(locs[name])
    await combined.first.wait_for(state="visible", timeout=run.timeout(step))
    for name in given:
        if await locs[name].first.is_visible():
            return name
    return given[0]


async def _check_login(step: MfaStep, run: RunContext, expected: str) -> str:
    """After ``request``: which of ``expected``, the sign-in error or ``success`` shows.

    ``success`` straight away means the portal skipped the second factor (a remembered
    device); the sign-in error is ``LoginFailed``.
    """
    seen = await _first_visible(run, step, expected, step.login_failed, step.success)
    if seen == step.login_failed and step.login_failed:
        message = await _message(await _any_of(run, step.login_failed), "sign-in refused")
        raise LoginFailed(
            f"{run.flow.flow} step {step.title}: the portal refused the sign-in: "
            f"{run.redact(message)}",
            hint="check the account's username/password secrets (and whether it is locked)",
        )
    return seen


async def _outcome(step: MfaStep, run: RunContext, stale: ElementHandle | None) -> str | None:
    """None when accepted, else the portal's rejection message."""
    if stale is not None:  # the previous attempt's message must go before we judge anew
        try:
            await stale.wait_for_element_state("hidden", timeout=run.timeout(step))
        except PlaywrightError as exc:
            if "not attached" not in str(exc):  # detached (page replaced) is gone too
                raise
    seen = await _first_visible(run, step, step.success, step.rejected)
    if seen == step.rejected:
        return await _message(await _any_of(run, step.rejected), "the code was not accepted")
    return None


async def _visible_rejection(step: MfaStep, run: RunContext) -> ElementHandle | None:
    rejected = await _any_of(run, step.rejected)
    if await rejected.first.is_visible():
        return await rejected.first.element_handle()
    return None


def _no_factor(step: MfaStep, run: RunContext, portal: str, account: str) -> MfaError:
    """The portal wants a code, and the account has no secret to get one with: say so at
    once (waiting for the signed-in page would only time out on a locator)."""
    names = " / ".join(
        step.totp_secret if method == "totp" else "imap_*" if method == "email" else secret
        for method, secret in AUTO_DETECT)
    return MfaError(
        f"{run.flow.flow} step {step.title}: the portal asks for a second factor but "
        f"account '{account}' has no {names}",
        hint=f"store the account's factor, e.g. portwright secrets set {portal} "
        f"{step.totp_secret} --account {account} (or the imap_* or twilio_*/sms_number "
        "secrets)",
    )


async def handle(step: MfaStep, run: RunContext) -> None:
    portal = step.secrets_of or run.flow.portal
    account = run.state.account
    redactor = run.state.redactor

    def secret(name: str) -> str:
        value = run.engine.secrets.resolve(portal, name, account=account)
        redactor.add(value)
        return value

    factor = FactorContext(
        portal=portal,
        account=account or "default",
        secret=secret,
        state_dir=run.engine.settings.path("state"),
        clock=run.engine.clock,
        api_base=run.text(step.api_base) if step.api_base else None,
    )
    timeout = run.timeout(step)
    method = method_for(step, factor)
    if method is None:  # no second factor for this account: sign in and confirm
        if step.request:
            await (await run.one(step.request, step)).click(timeout=timeout)
        # a map without the code field (a portal with no second factor) cannot show it
        offers_code = step.code in (await run.resolver()).map.entries
        if await _check_login(step, run, step.code if offers_code else step.success) \
                != step.success:
            raise _no_factor(step, run, portal, factor.account)
        run.note(step, method="none")
        return
    source = build_code_source(method, step, factor)
    await source.prepare()
    if step.request:
        await (await run.one(step.request, step)).click(timeout=timeout)
    if await _check_login(step, run, step.code) == step.success:
        run.note(step, method=method, skipped="signed in without a code (remembered device)")
        return
    tries = 2 if step.new_code_on_reject else 1
    message = ""
    for attempt in range(1, tries + 1):
        code = await source.next_code(step.code_timeout_s)
        redactor.add(code)
        field = await run.one(step.code, step, navigates=False)
        stale = await _visible_rejection(step, run)
        await field.fill(code, timeout=timeout)
        await (await run.one(step.submit, step)).click(timeout=timeout)
        rejection = await _outcome(step, run, stale)
        if rejection is None:
            run.note(step, method=method, channel=source.channel, codes_tried=attempt)
            return
        message = run.redact(rejection)
        run.note(step, method=method, channel=source.channel, codes_tried=attempt,
                 rejected=message)
        if attempt == tries:
            break
        if method == "totp":
            continue  # the next window gives a new code; nothing to ask the portal for
        if not step.resend:
            break  # a delivered code cannot be replaced without a way to ask for one
        await source.prepare()
        await (await run.one(step.resend, step)).click(timeout=timeout)
    raise MfaCodeRejected(
        f"{run.flow.flow} step {step.title}: the portal rejected the code from "
        f"{source.channel}: {message}",
        hint="check the factor's secret (TOTP seed, mailbox, number) belongs to this account",
    )
