"""``portwright replay [flow]``: run flows offline against their recordings, diff the goldens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from portwright.exceptions import PortwrightError

if TYPE_CHECKING:
    from portwright.recording.layout import RecordingPaths
    from portwright.recording.replayer import ReplayOutcome

__all__ = ["register", "replay"]


def replay(
    flow: Annotated[str | None, typer.Argument(
        help="Flow name, e.g. valant.patients.list (default: every recording).")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", help="Only this scenario.")] =
    None,
    ui_version: Annotated[
        str | None, typer.Option("--ui-version", help="Only recordings of this UI version.")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", min=1,
                                      help="Recordings replayed at once on one browser.")] = 1,
    update_golden: Annotated[bool, typer.Option(
        "--update-golden",
        help="Write a replay's differing output as its golden file (audited first) and "
             "print what changed; requests missing from a recording still fail.")] = False,
) -> None:
    """Replay FLOW's recordings (or all) offline; exit 1 on a golden diff or missing request.

    A missing request means the flow changed since the recording was made."""
    import asyncio

    from portwright.recording.golden_update import update_golden as update_golden_file
    from portwright.recording.replayer import find_recordings, replay_many, what_is_recorded
    from portwright.recording.staleness import workspace_stale_reasons
    from portwright.settings import load_settings

    settings = load_settings()
    found = find_recordings(settings, flow, scenario, ui_version)
    if not found:
        typer.echo(f"error: no recording of {flow or 'any flow'}"
                   + (f" (scenario {scenario})" if scenario else "")
                   + (f" (UI version {ui_version})" if ui_version else "")
                   + f" under {settings.path('recordings')}", err=True)
        typer.echo(f"  hint: {what_is_recorded(settings, flow)}", err=True)
        raise typer.Exit(1)

    failed = stale_count = 0

    def report(paths: RecordingPaths, outcome: ReplayOutcome | PortwrightError) -> None:
        """Print one recording's result as soon as its replay ends."""
        nonlocal failed, stale_count
        label = _label(paths)
        try:
            reasons = workspace_stale_reasons(settings, paths)
        except PortwrightError:
            reasons = []  # a damaged meta.json: the replay's own FAIL line says what is wrong
        stale_count += bool(reasons)
        for reason in reasons:
            typer.echo(f"warn {label}: stale: {reason}")
        try:
            if isinstance(outcome, PortwrightError):
                raise outcome
            accepted = update_golden_file(outcome) if update_golden else []
            if not accepted:
                outcome.assert_matches()
        except PortwrightError as exc:
            failed += 1
            typer.echo(f"FAIL {label}: {exc}")
            return
        if accepted:
            typer.echo(f"updated {label}: {len(accepted)} difference(s) accepted")
            for line in accepted:
                typer.echo(f"  {line}")
        else:
            refused = (f", {len(outcome.refused_sockets)} WebSocket(s) refused"
                       if outcome.refused_sockets else "")
            typer.echo(f"ok   {label} ({outcome.ms:.0f} ms, {len(outcome.served)} requests"
                       f"{refused})")

    async def go() -> None:
        from playwright.async_api import async_playwright

        from portwright.browser import launch

        async with async_playwright() as pw:
            browser = await launch(pw, headless=settings.headless, override=settings.browser)
            try:
                await replay_many(found, settings=settings, browser=browser,
                                  concurrency=jobs, on_done=report)
            finally:
                await browser.close()

    asyncio.run(go())
    if len(found) > 1:
        typer.echo(f"{len(found)} replayed: {len(found) - failed} ok, {failed} failed"
                   + (f", {stale_count} stale" if stale_count else ""))
    if failed:
        raise typer.Exit(1)


def _label(paths: RecordingPaths) -> str:
    return f"{paths.flow} {paths.ui_version}/{paths.scenario}"


def register(app: typer.Typer) -> None:
    app.command("replay")(replay)
