"""Handler of ``mfa``: snapshot the channel, make the portal send, read, type, submit,
then tell acceptance from rejection.

A rejection is ``MfaCodeRejected`` carrying the portal's own words (codes and secrets
redacted); a code that never arrives is ``MfaTimeout`` from the channel. With
``new_code_on_reject`` one more code is tried: after clicking ``resend`` for delivered
codes, or simply the next window for TOTP.
"""

from __future__ import annotations

from playwright.async_api import ElementHandle, Locator

from portwright.auth.mfa.clock import SystemClock
from portwright.auth.mfa.methods import FactorContext, build_code_source
from portwright.exceptions import MfaCodeRejected
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


async def _outcome(step: MfaStep, run: RunContext, stale: ElementHandle | None) -> str | None:
    """None when accepted, else the portal's rejection message."""
    timeout = run.timeout(step)
    if stale is not None:  # the previous attempt's message must go before we judge anew
        await stale.wait_for_element_state("hidden", timeout=timeout)
    success = await _any_of(run, step.success)
    rejected = await _any_of(run, step.rejected)
    await success.or_(rejected).first.wait_for(state="visible", timeout=timeout)
    if await rejected.first.is_visible():
        text = (await rejected.first.inner_text()).strip()
        return " ".join(text.split()) or "the code was not accepted"
    return None


async def _visible_rejection(step: MfaStep, run: RunContext) -> ElementHandle | None:
    rejected = await _any_of(run, step.rejected)
    if await rejected.first.is_visible():
        return await rejected.first.element_handle()
    return None


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
        clock=SystemClock(),
        api_base=run.text(step.api_base) if step.api_base else None,
    )
    source = build_code_source(step, factor)
    timeout = run.timeout(step)
    await source.prepare()
    if step.request:
        await (await run.one(step.request, step)).click(timeout=timeout)
    tries = 2 if step.new_code_on_reject else 1
    message = ""
    for attempt in range(1, tries + 1):
        code = await source.next_code(step.code_timeout_s)
        redactor.add(code)
        field = await run.one(step.code, step)
        stale = await _visible_rejection(step, run)
        await field.fill(code, timeout=timeout)
        await (await run.one(step.submit, step)).click(timeout=timeout)
        rejection = await _outcome(step, run, stale)
        if rejection is None:
            run.note(step, method=step.method, channel=source.channel, codes_tried=attempt)
            return
        message = run.redact(rejection)
        run.note(step, method=step.method, channel=source.channel, codes_tried=attempt,
                 rejected=message)
        if attempt == tries:
            break
        if step.resend:
            await source.prepare()
            await (await run.one(step.resend, step)).click(timeout=timeout)
        elif step.method != "totp":
            break  # a delivered code cannot be replaced without a way to ask for one
    raise MfaCodeRejected(
        f"{run.flow.flow} step {step.title}: the portal rejected the code from "
        f"{source.channel}: {message}",
        hint="check the factor's secret (TOTP seed, mailbox, number) belongs to this account",
    )
