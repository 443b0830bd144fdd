"""``portwright-monitor canary``: run canary flows live, report drift, propose the fix.

    portwright-monitor canary valant --portal-url URL --flow valant.providers.list \\
        [--flow ...] [--account NAME] [--input FLOW:KEY=VALUE ...] [--report drift.json]
        [--propose fix.yaml]

Exit 0 when every flow ran without drift (``info`` findings allowed), 1 otherwise: a job
scheduler alerts on the exit code and keeps the JSON report. A usage mistake (a flow that
writes, an undeclared or ill-typed ``--input``, a portal URL that is no http(s) URL, a
report or proposal path that cannot be written: ``portwright.cli.output_path``) exits 2
before anything runs.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

import typer

from portwright.auth.credentials import CredentialStore
from portwright.cli.conventional_help import PortwrightTyper
from portwright.cli.output_path import prepared_output
from portwright.exceptions import ConfigError, FlowInputError, PortwrightError
from portwright.runner.engine import Engine
from portwright.runner.inputs import coerce_inputs
from portwright.runner.portal_url import checked_portal_url
from portwright.selector_map.check import NameCheck
from portwright.settings import load_settings
from portwright_monitor.canary import run_canary
from portwright_monitor.report import CanaryReport, Finding
from portwright_monitor.strategy_exchange import plan_exchanges, write_map_fix

__all__ = ["app", "main"]

app = PortwrightTyper(help="Canary checks of a live portal: UI drift, with a proposed fix.",
                  no_args_is_help=True)


@app.callback()
def _root() -> None:
    """Canary checks of a live portal."""


def _inputs(given: list[str]) -> dict[str, dict[str, Any]]:
    """``FLOW:KEY=VALUE`` options → flow → inputs."""
    out: dict[str, dict[str, Any]] = {}
    for item in given:
        flow, sep, pair = item.partition(":")
        key, eq, value = pair.partition("=")
        if not sep or not eq or not flow or not key:
            raise typer.BadParameter(f"'{item}' is not FLOW:KEY=VALUE", param_hint="--input")
        out.setdefault(flow, {})[key] = value
    return out


def _refuse_bad_requests(engine: Engine, portal: str, flows: list[str],
                         inputs: dict[str, dict[str, Any]]) -> None:
    """Usage mistakes fail before any run, with exit 2, never as a portal finding.

    A typo in an input name would otherwise make the flow fail live and be reported as
    ``run_failed``: a scheduler would page someone about drift that is not there.
    """
    for name in inputs:
        if name not in flows:
            raise typer.BadParameter(f"'{name}' is not one of the --flow flows "
                                     f"({', '.join(flows)})", param_hint="--input")
    for name in flows:
        spec = engine.flow(name)
        if spec.portal != portal:
            raise typer.BadParameter(f"{name} is not a flow of portal '{portal}' (its "
                                     f"flows are named {portal}.*)", param_hint="--flow")
        if spec.mutates:
            raise typer.BadParameter(f"{name} changes portal data: a canary runs "
                                     "read-only flows only", param_hint="--flow")
        try:
            coerce_inputs(spec, inputs.get(name, {}))
        except FlowInputError as exc:
            raise typer.BadParameter(str(exc), param_hint="--input") from None


def _propose(engine: Engine, portal: str, report: CanaryReport, target: Path) -> None:
    """Write the proposed map fix for the fallbacks and the moved fields the report found
    (one map version).

    A fallback whose name reads a field that came back wrong (empty everywhere, of another
    kind than the baseline's, or holding another field's values) found *an* element, not
    the right one: a class renamed and the columns reordered, ``td:nth-child(1)`` now
    holds the NPI. Moving it first would make the wrong read the map's first choice, so it
    is left to a person. Fields whose values moved between each other (two columns
    swapped) are fixed by exchanging the strategies that found them
    (:mod:`portwright_monitor.strategy_exchange`)."""
    wrong = {f.reads: f for f in report.findings
             if f.kind in ("field_emptied", "field_kind_changed", "field_values_moved")
             and f.reads}
    fallbacks = []
    for f in _one_per_name(report.findings):
        if f.subject in wrong:
            typer.echo(f"  by hand: {f.subject}: found by {f.strategy}, but it reads "
                       f"{wrong[f.subject].subject} wrong ({wrong[f.subject].kind}): "
                       "that element is not the one the map meant; not proposed")
            continue
        fallbacks.append(f)
    moves = [f for f in report.findings if f.kind == "field_values_moved" and f.map_version]
    versions = sorted({f.map_version for f in [*fallbacks, *moves] if f.map_version})
    if not versions:
        typer.echo("no map fix to propose" if any(
            f.kind == "fallback" for f in report.findings)
            else "no fallback found: no map fix to propose")
        return
    if len(versions) > 1:
        typer.echo("fallbacks or moved fields in several map versions "
                   f"({', '.join(versions)}): proposing for {versions[-1]} only")
    smap = engine.selector_maps(portal)[versions[-1]]
    checks = [NameCheck(f.subject, "fallback", f.strategy, 1, None, f.strategy_index)
              for f in fallbacks if f.map_version == versions[-1] and f.subject]
    plan = plan_exchanges([f for f in moves if f.map_version == versions[-1]])
    if not checks and not plan.exchanges:
        for line in plan.by_hand:
            typer.echo(f"  by hand: {line}")
        typer.echo("no map fix to propose")
        return
    for line in write_map_fix(smap, checks, plan, target):
        typer.echo(line)


def _one_per_name(findings: list[Finding]) -> list[Finding]:
    """The ``fallback`` findings to propose, one per name and map version.

    Flows that share a page (``valant.patients.get`` and ``valant.patients.list`` both
    read the chart) each report the same fallback; moving one strategy first once per
    flow moved it back again, and the proposal was the drifted map itself, announced as
    a fix. A name found by different strategies in different flows has no one strategy
    to move first: it is left to a person."""
    found: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.kind == "fallback" and f.map_version and f.subject:
            found.setdefault((f.map_version, f.subject), []).append(f)
    chosen = []
    for (version, name), same in found.items():
        strategies = sorted({str(f.strategy) for f in same})
        if len({f.strategy_index for f in same}) > 1:
            typer.echo(f"  by hand: {name}: found by different strategies in different "
                       f"flows ({'; '.join(strategies)}; map {version}): no one of them to "
                       "move first; not proposed")
            continue
        chosen.append(same[0])
    return chosen


@app.command("canary")
def canary(
    portal: Annotated[str, typer.Argument(help="Portal name, e.g. valant.")],
    portal_url: Annotated[str, typer.Option("--portal-url", help="The live portal's URL.")],
    flow: Annotated[list[str], typer.Option("--flow", help="A read-only flow to run "
                                            "(repeat for more).")],
    account: Annotated[str | None, typer.Option("--account", help="Run as this account.")
                       ] = None,
    given: Annotated[list[str] | None, typer.Option(
        "--input", help="FLOW:KEY=VALUE, an input of one canary flow.")] = None,
    report_path: Annotated[Path | None, typer.Option(
        "--report", help="Write the report as JSON here.")] = None,
    propose: Annotated[Path | None, typer.Option(
        "--propose", help="Write the map file with a proposed fix for the fallbacks and "
        "the moved fields here.")
                       ] = None,
) -> None:
    """Run FLOWs live against the portal and report what drifted."""
    inputs = _inputs(given or [])
    try:
        checked_portal_url(portal_url, portal)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="--portal-url") from None
    prepared_output(report_path, "--report")
    prepared_output(propose, "--propose")

    async def go() -> CanaryReport:
        settings = load_settings().model_copy(update={"resolution_reuse_s": 0.0})
        secrets = CredentialStore.for_workspace(settings.path("state"))
        async with Engine(settings, secrets=secrets, trace="off",
                          portal_urls={portal: portal_url}) as engine:
            _refuse_bad_requests(engine, portal, flow, inputs)
            report = await run_canary(engine, portal, portal_url, flow, account=account,
                                      inputs=inputs)
            if propose is not None:
                _propose(engine, portal, report, propose)
            return report

    try:
        report = asyncio.run(go())
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    for line in report.summary():
        typer.echo(line)
    if report_path is not None:
        report_path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    if not report.healthy:
        raise typer.Exit(1)


def main() -> None:
    app()
