"""``portwright record <flow>``: run a flow live and save a scrubbed recording of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from portwright.cli.run import (
    USAGE_ERROR,
    check_inputs,
    exit_usage,
    exit_with,
    parse_inputs,
)
from portwright.exceptions import ConfigError, PortwrightError

if TYPE_CHECKING:
    from portwright.settings import Settings

__all__ = ["record", "register"]

#: ``portwright.recording.layout.DEFAULT_SCENARIO``, written out: the signature needs it at
#: start-up and importing the recording layout there costs every command (a test checks
#: the two agree).
DEFAULT_SCENARIO = "default"


def _portal_url(flow: str, given: str | None, account: str | None,
                settings: Settings) -> str:
    """The URL to record ``flow`` at: ``--portal-url``, else the stored ``base_url``
    secret, as ``run`` and ``login`` take it. Exit 2 before a browser opens when neither
    is there, or the URL is malformed, as ``run`` does: found in the browser, a malformed
    one failed the first ``goto`` with Playwright's "Invalid URL". A flow that does not
    load is left to the recording, which reports it; its portal is then the flow name's
    first part, as the recorder has it."""
    from portwright.cli.stored_portal_url import given_or_stored_url
    from portwright.flow.repository import shared_repository
    from portwright.runner.portal_url import checked_portal_url, no_portal_url

    try:
        portal = shared_repository(settings.path("flows")).get(flow).portal
    except PortwrightError:
        portal = flow.split(".", 1)[0]
    try:
        url = checked_portal_url(given_or_stored_url(settings, portal, account, given), portal)
        if url is None:  # every recording opens the portal (its UI version is read first)
            raise no_portal_url(portal, f"recording '{flow}' needs the portal's URL")
    except ConfigError as exc:
        exit_usage(exc)
    return url


def record(
    flow: Annotated[str, typer.Argument(help="Flow name, e.g. valant.patients.list.")],
    portal_url: Annotated[str | None, typer.Option(
        "--portal-url", help="Portal base URL (default: secret base_url).")] = None,
    inputs: Annotated[list[str] | None, typer.Option("--input", "-i", help="key=value")] = None,
    scenario: Annotated[str, typer.Option("--scenario", help="Scenario name.")] =
    DEFAULT_SCENARIO,
    record_mode: Annotated[
        str | None,
        typer.Option("--record-mode",
                     help="none | once | new_episodes | all (alias rewrite); "
                          "default: the record_mode setting, 'once' if that is 'none'"),
    ] = None,
    account: Annotated[str | None, typer.Option("--account", help="Account name.")] = None,
) -> None:
    """Record FLOW: HAR, cassette, golden output and meta.json, scrubbed before saving.

    The portal's URL is --portal-url, else the base_url secret (portwright secrets set
    <portal> base_url), as for run and login.

    Exit status: 0 recorded (or kept), 1 the recording failed, 2 the command was given
    wrongly (an option, an input, a scenario name, no portal URL or a malformed one),
    found before a browser opens."""
    import asyncio

    from portwright.exceptions import RecordingError, RecordModeError
    from portwright.recording.layout import checked_scenario
    from portwright.recording.record_mode import validate_record_mode
    from portwright.recording.recorder import record_flow
    from portwright.settings import load_settings

    try:  # a misspelled option is a usage error (exit 2), like any other bad option
        chosen = validate_record_mode(record_mode) if record_mode is not None else None
    except RecordModeError as exc:
        raise typer.BadParameter(str(exc), param_hint="--record-mode") from None
    if chosen is not None and chosen.value == "none":
        # asked on the command line, it contradicts the command: a usage error (exit 2),
        # found before the URL and the inputs are checked, as the recorder would refuse it
        # (exit 1, as if a recording had failed) only after them
        raise typer.BadParameter("'none' never records; use once, new_episodes or all",
                                 param_hint="--record-mode")
    try:
        checked_scenario(scenario)
    except RecordingError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(USAGE_ERROR) from None
    values = parse_inputs(inputs or [])
    settings = load_settings()
    check_inputs(flow, values, settings)
    url = _portal_url(flow, portal_url, account, settings)
    try:
        mode = chosen or validate_record_mode(settings.record_mode)
        if chosen is None and mode.value == "none":
            mode = validate_record_mode("once")
        outcome = asyncio.run(record_flow(
            flow, portal_url=url, inputs=values, scenario=scenario,
            mode=mode, account=account, settings=settings))
    except PortwrightError as exc:
        exit_with(exc)
    why = "it is current" if mode.value == "new_episodes" else "it exists"
    verb = "recorded" if outcome.recorded else f"kept existing recording (mode {mode.value}: " \
        f"{why})"
    typer.echo(f"{verb}: {outcome.paths.folder}")


def register(app: typer.Typer) -> None:
    app.command("record")(record)
