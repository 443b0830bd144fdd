"""``portwright run <flow>``: run one flow and write its RunResult as JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, cast, get_args

import typer

from portwright.exceptions import ConfigError, FlowInputError, PortwrightError, SelectorMapError

if TYPE_CHECKING:
    from portwright.auth.portal_auth import PortalAuth
    from portwright.runner.result import RunResult
    from portwright.settings import Settings

__all__ = [
    "USAGE_ERROR",
    "check_inputs",
    "check_portal_url",
    "exit_usage",
    "exit_with",
    "parse_inputs",
    "register",
    "run",
]

#: the exit code of a command given wrongly (an option, an input, a missing portal URL),
#: as Click has it for a bad option: a script can tell "fix the command" (2) from "the
#: run failed" (1)
USAGE_ERROR = 2


def parse_inputs(pairs: list[str]) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` → ``{"a": "1", "b": "x=y"}``; a pair without ``=`` is an error."""
    out: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise typer.BadParameter(f"'{pair}' is not key=value", param_hint="--input")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out


def exit_with(exc: PortwrightError) -> NoReturn:
    """Print ``exc`` and exit: 2 for a mistake in the inputs given to the flow run
    (unknown, missing, mistyped, or refused by one of its ``require`` steps), else 1.
    Inputs that a ``call`` step passes and its flow refuses, by their declaration or by
    a ``require`` step, are the calling flow's bug, not the person's: a failed step
    (:class:`~portwright.exceptions.CallInputError`,
    :class:`~portwright.exceptions.CallRequireError`), 1."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(USAGE_ERROR if isinstance(exc, FlowInputError) else 1) from None


def check_inputs(flow: str, values: dict[str, str], settings: Settings) -> None:
    """Exit 2 on an input mistake before a browser opens. A flow that does not load is
    left to the run, which reports it."""
    from portwright.flow.repository import shared_repository
    from portwright.runner.inputs import coerce_inputs

    try:
        spec = shared_repository(settings.path("flows")).get(flow)
    except PortwrightError:
        return
    try:
        coerce_inputs(spec, values)
    except FlowInputError as exc:
        exit_with(exc)


def check_portal_url(portal: str, url: str | None,
                     needed_by: Callable[[], str | None]) -> None:
    """Exit 2, before a browser opens, when ``url`` is malformed, or when it is None and
    ``needed_by()`` names what needs it (asked only then: it may read flows). Found in
    the browser, either stopped the first ``goto`` on a blank page, with a failure
    screenshot of it, for what is a mistake in the command. Shared by the commands that
    take ``--portal-url``."""
    from portwright.runner.portal_url import checked_portal_url, no_portal_url

    try:
        if checked_portal_url(url, portal) is not None:
            return
        needing = needed_by()
        if needing is not None:
            raise no_portal_url(portal, needing)
    except ConfigError as exc:
        exit_usage(exc)


def exit_usage(exc: PortwrightError) -> NoReturn:
    """Print ``exc`` and exit 2: the command was given wrongly."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(USAGE_ERROR) from None


def _preflight(auth: PortalAuth, flow: str, values: dict[str, str],
               portal_url: str | None, account: str | None, pin: str | None) -> None:
    """What a run can be refused for before a browser opens, in the order a person fixes
    it: the pinned map version (``Engine.check_pin``, as ``Engine.run`` checks it), the
    inputs, the portal URL. A flow that does not load is left to the run, which reports
    it."""
    from portwright.runner.inputs import coerce_inputs
    from portwright.runner.portal_url import flow_reading_portal_url
    from portwright.selector_map.loader import SelectorMapProblems

    engine = auth.engine
    try:
        spec = engine.flow(flow)
    except PortwrightError:
        return
    portal = spec.portal
    try:
        engine.check_pin(portal, pin)
    except SelectorMapProblems as exc:  # broken map files: not a usage error
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except SelectorMapError as exc:
        exit_usage(exc)
    try:
        coerce_inputs(spec, values)
    except FlowInputError as exc:
        exit_with(exc)

    def needed_by() -> str | None:
        """The URL given, or stored as the ``base_url`` secret, is needed when a flow the
        run starts (the flow, the flows it calls, the login and health check) reads it."""
        starts = [flow]
        if auth.manages(portal):
            starts += [auth.login_flow(portal, account), auth.health_flow(portal)]
        needing = flow_reading_portal_url(engine.flows, starts)
        return None if needing is None else f"flow '{needing}' needs the portal's URL"

    check_portal_url(portal, portal_url or engine.stored_base_url(portal, account), needed_by)


def run(
    flow: Annotated[str, typer.Argument(help="Flow name, e.g. valant.patients.list.")],
    portal_url: Annotated[str | None, typer.Option("--portal-url", help="Portal base URL.")] = None,
    inputs: Annotated[list[str] | None, typer.Option("--input", "-i", help="key=value")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the result here.")] = None,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser.")] = False,
    trace: Annotated[bool, typer.Option(
        "--trace", help="Keep a full trace (with DOM snapshots) even on success.")] = False,
    account: Annotated[str | None, typer.Option("--account", help="Account name.")] = None,
    selectors_version: Annotated[
        str | None, typer.Option("--selectors-version", help="Pin the selector-map version.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="json: the RunResult; jsonl or table: the entities.")
    ] = "json",
) -> None:
    """Run a flow against the portal and print (or write) its result as JSON.

    Exit status: 0 ran, 1 the run failed, 2 the command was given wrongly (an option, an
    input, no portal URL)."""
    import asyncio

    from portwright.auth.credentials import CredentialStore
    from portwright.auth.portal_auth import PortalAuth
    from portwright.cli.entity_output import OutputFormat, not_shown, print_entities
    from portwright.cli.output_path import prepared_output
    from portwright.runner.engine import Engine
    from portwright.settings import load_settings

    if output_format not in get_args(OutputFormat):
        raise typer.BadParameter("expected json, jsonl or table", param_hint="--format")
    values = parse_inputs(inputs or [])
    prepared_output(out, "--out")  # before the run: it may have changed the portal
    settings = load_settings(headless=False if headed else None)
    # Built here, not in the event loop: neither opens a browser (the first session does)
    engine = Engine(settings, trace="on" if trace else "on-failure", trace_snapshots=trace,
                    secrets=CredentialStore.for_workspace(settings.path("state")))
    auth = PortalAuth(engine)  # saved sessions reused; expiry mid-flow re-logs in
    _preflight(auth, flow, values, portal_url, account, selectors_version)

    async def go() -> RunResult:
        try:
            return await auth.run(flow, values, portal_url=portal_url, account=account,
                                  selector_version=selectors_version)
        finally:
            await engine.close()

    try:
        result = asyncio.run(go())
    except PortwrightError as exc:
        exit_with(exc)
    if output_format != "json":
        from rich.console import Console

        fmt = cast(OutputFormat, output_format)
        if out is None:
            print_entities(result.outputs, fmt, Console())
        else:  # --out holds for every format: a script asked for a file, not stdout
            with out.open("w", encoding="utf-8") as file:
                print_entities(result.outputs, fmt, Console(file=file))
            typer.echo(f"wrote {out}", err=True)
        left_out = not_shown(result.outputs)
        if left_out:
            typer.echo(f"note: not shown as {output_format} (no entities): "
                       f"{', '.join(left_out)}; --format json prints every output", err=True)
        return
    text = result.to_json()
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)
    else:
        sys.stdout.write(text + "\n")


def register(app: typer.Typer) -> None:
    app.command("run")(run)
