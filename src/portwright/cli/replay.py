"""``portwright replay <flow>``: run a flow offline against its recordings, diff the golden."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from portwright.exceptions import PortwrightError
from portwright.recording.layout import RecordingPaths
from portwright.recording.replayer import ReplayOutcome, find_recordings, replay_recording
from portwright.recording.staleness import workspace_stale_reasons
from portwright.settings import Settings, load_settings

__all__ = ["register", "replay"]


def replay(
    flow: Annotated[str, typer.Argument(help="Flow name, e.g. valant.patients.list.")],
    scenario: Annotated[str | None, typer.Option("--scenario", help="Only this scenario.")] =
    None,
    ui_version: Annotated[
        str | None, typer.Option("--ui-version", help="Only recordings of this UI version.")
    ] = None,
) -> None:
    """Replay FLOW's recordings offline; exit 1 if any output differs from its golden file."""
    settings = load_settings()
    found = find_recordings(settings, flow, scenario, ui_version)
    if not found:
        typer.echo(f"error: no recording of {flow}"
                   + (f" (scenario {scenario})" if scenario else ""), err=True)
        raise typer.Exit(1)

    async def go() -> list[tuple[str, ReplayOutcome | PortwrightError]]:
        from playwright.async_api import async_playwright

        from portwright.browser import launch

        done: list[tuple[str, ReplayOutcome | PortwrightError]] = []
        async with async_playwright() as pw:
            browser = await launch(pw, headless=settings.headless, override=settings.browser)
            try:
                for paths in found:
                    label = _label(paths)
                    try:
                        done.append((label, await replay_recording(paths, settings=settings,
                                                                   browser=browser)))
                    except PortwrightError as exc:
                        done.append((label, exc))
            finally:
                await browser.close()
        return done

    failed = 0
    stale = _stale_by_label(settings, found)
    for label, outcome in asyncio.run(go()):
        for reason in stale.get(label, []):
            typer.echo(f"warn {label}: stale: {reason}")
        if isinstance(outcome, PortwrightError):
            failed += 1
            typer.echo(f"FAIL {label}: {outcome}")
            continue
        try:
            outcome.assert_matches()
        except PortwrightError as exc:
            failed += 1
            typer.echo(f"FAIL {label}: {exc}")
        else:
            typer.echo(f"ok   {label} ({outcome.ms:.0f} ms, {len(outcome.served)} requests)")
    if failed:
        raise typer.Exit(1)


def _label(paths: RecordingPaths) -> str:
    return f"{paths.flow} {paths.ui_version}/{paths.scenario}"


def _stale_by_label(settings: Settings, found: list[RecordingPaths]) -> dict[str, list[str]]:
    """Why each recording no longer matches the workspace's flow or maps (a replay of a
    stale recording may pass while proving nothing about the flow as it is now)."""
    out: dict[str, list[str]] = {}
    for paths in found:
        if reasons := workspace_stale_reasons(settings, paths):
            out[_label(paths)] = reasons
    return out


def register(app: typer.Typer) -> None:
    app.command("replay")(replay)
