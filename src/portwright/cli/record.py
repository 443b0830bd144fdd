"""``portwright record <flow>``: run a flow live and save a scrubbed recording of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from portwright.cli.run import (
    USAGE_ERROR,
    check_inputs,
    check_portal_url,
    exit_with,
    parse_inputs,
)
from portwright.exceptions import PortwrightError

if TYPE_CHECKING:
    from portwright.settings import Settings

__all__ = ["record", "register"]

#: ``portwright.recording.layout.DEFAULT_SCENARIO``, written out: the signature needs it at
#: start-up and importing the recording layout there costs every command (a test checks
#: the two agree).
DEFAULT_SCENARIO = "default"


def _check_url(flow: str, portal_url: str, settings: Settings) -> None:
    """Exit 2 on a malformed ``--portal-url`` before a browser opens, as ``run`` does:
    found there, it failed the first ``goto`` with Playwright's "Invalid URL". A flow
    that does not load is left to the recording, which reports it."""
    from portwright.flow.repository import shared_repository

    try:
        portal = shared_repository(settings.path("flows")).get(flow).portal
    except PortwrightError:
        return
    check_portal_url(portal, portal_url, lambda: None)  # given, so never missing


def record(
    flow: Annotated[str, typer.Argument(help="Flow name, e.g. valant.patients.list.")],
    portal_url: Annotated[str, typer.Option("--portal-url", help="Portal base URL.")],
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

    Exit status: 0 recorded (or kept), 1 the recording failed, 2 the command was given
    wrongly (an option, an input, a scenario name, a malformed portal URL), found before a
    browser opens."""
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
    try:
        checked_scenario(scenario)
    except RecordingError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(USAGE_ERROR) from None
    values = parse_inputs(inputs or [])
    settings = load_settings()
    check_inputs(flow, values, settings)
    _check_url(flow, portal_url, settings)
    try:
        mode = chosen or validate_record_mode(settings.record_mode)
        if chosen is None and mode.value == "none":
            mode = validate_record_mode("once")
        outcome = asyncio.run(record_flow(
            flow, portal_url=portal_url, inputs=values, scenario=scenario,
            mode=mode, account=account, settings=settings))
    except PortwrightError as exc:
        exit_with(exc)
    why = "it is current" if mode.value == "new_episodes" else "it exists"
    verb = "recorded" if outcome.recorded else f"kept existing recording (mode {mode.value}: " \
        f"{why})"
    typer.echo(f"{verb}: {outcome.paths.folder}")


def register(app: typer.Typer) -> None:
    app.command("record")(record)
