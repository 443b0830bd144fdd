"""``portwright recordings audit | list``: what is recorded, and proof that it leaks nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from portwright.cli.conventional_help import PortwrightTyper
from portwright.exceptions import PortwrightError

__all__ = ["audit", "list_recordings", "register"]

recordings_app = PortwrightTyper(help="Recorded fixtures: audit and list.", no_args_is_help=True)


def _require_portal_folder(root: Path, portal: str | None) -> None:
    """``--portal`` naming a folder that is not there is a typo, not a clean audit.

    Without this, ``audit --portal valnt`` would print "audit passed: 0 file(s)" and a
    CI job guarding the recordings would pass on nothing.
    """
    if portal is None or (root / portal).is_dir():
        return
    present = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    recorded = ", ".join(present) or "none"
    typer.echo(f"error: no recordings for portal '{portal}' under {root} "
               f"(portals with recordings: {recorded})", err=True)
    raise typer.Exit(1)


@recordings_app.command("audit")
def audit(
    portal: Annotated[str | None, typer.Option("--portal", help="Only this portal.")] = None,
) -> None:
    """Scan every recording for secrets and PHI; exit 1 on any hit (file:line:col listed)."""
    from portwright.recording.audit import audit_passed_line, audit_tree, planted_phi_warning
    from portwright.recording.audit_inputs import audit_inputs
    from portwright.settings import load_settings

    settings = load_settings()
    root = settings.path("recordings")
    _require_portal_folder(root, portal)
    if not root.is_dir():
        typer.echo(f"no recordings folder at {root}: nothing to audit")
        return
    total_files = 0
    findings = []
    problems: list[str] = []
    planted_phi = True  # every portal's adapter plants PHI values to search for
    portals = [portal] if portal else sorted(p.name for p in root.iterdir() if p.is_dir())
    for name in portals:
        inputs = audit_inputs(name)
        if inputs.patterns_only is not None:  # no adapter installed
            typer.echo(f"note: {name}: {inputs.patterns_only}; checking patterns only",
                       err=True)
            planted_phi = False
        elif not inputs.problems and (warning := planted_phi_warning(name, inputs.planted)):
            typer.echo(warning, err=True)
            planted_phi = False
        problems += inputs.problems
        found, count = audit_tree(root / name, inputs.planted, inputs.policy)
        findings.extend(found)
        total_files += count
    for finding in findings:
        typer.echo(str(finding))
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    if findings or problems:
        typer.echo(f"audit FAILED: {len(findings)} hit(s) in {total_files} file(s)"
                   + (f", {len(problems)} adapter problem(s)" if problems else ""), err=True)
        raise typer.Exit(1)
    typer.echo(audit_passed_line(total_files, root, planted_phi=planted_phi))


@recordings_app.command("list")
def list_recordings(
    portal: Annotated[str | None, typer.Option("--portal", help="Only this portal.")] = None,
) -> None:
    """List recordings: flow, UI version, scenario, when recorded, current or stale."""
    from portwright.recording.layout import iter_recordings
    from portwright.recording.staleness import workspace_stale_reasons
    from portwright.settings import load_settings

    settings = load_settings()
    _require_portal_folder(settings.path("recordings"), portal)
    damaged = 0
    for paths in iter_recordings(settings.path("recordings"), portal):
        try:
            meta = paths.load_checked()  # golden and HAR too, not meta.json alone
        except PortwrightError as exc:
            damaged += 1
            typer.echo(f"{paths.flow}\t{paths.ui_version}\t{paths.scenario}\t-\t"
                       f"damaged: {str(exc).splitlines()[0]}\t{paths.folder}")
            continue
        reasons = workspace_stale_reasons(settings, paths)
        state = f"stale: {reasons[0]}" if reasons else "current"
        typer.echo(f"{meta.flow}\t{meta.ui_version}\t{meta.scenario}\t"
                   f"{meta.recorded_at:%Y-%m-%d %H:%M}Z\t{state}\t{paths.folder}")
    if damaged:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(recordings_app, name="recordings")
