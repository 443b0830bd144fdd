"""``portwright doctor``: what this machine has, what portwright will use, and why."""

from __future__ import annotations

import platform
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from portwright.exceptions import ConfigError

if TYPE_CHECKING:
    from portwright.settings import Settings


@dataclass(frozen=True)
class Check:
    """One line of the report: ``ok`` false and ``required`` true means exit 1."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def _service(name: str, binary: str, package: str, needed_for: str, required: bool) -> Check:
    path = shutil.which(binary) or (binary if Path(binary).exists() else None)
    if path:
        return Check(name, True, f"{path} ({needed_for})", required=required)
    return Check(
        name, False, f"not found ({needed_for})",
        fix=f"sudo apt-get install -y {package}", required=required,
    )


def run_checks(require_services: bool = False) -> list[Check]:
    """Everything doctor reports, as data (the CLI only renders it)."""
    from importlib.metadata import PackageNotFoundError, version

    from portwright.settings import load_settings

    checks: list[Check] = []
    py_ok = sys.version_info >= (3, 11)
    checks.append(Check("python", py_ok, f"{platform.python_version()} ({sys.executable})",
                        fix="use Python 3.11 or newer"))
    try:
        checks.append(Check("playwright", True, version("playwright")))
    except PackageNotFoundError:
        checks.append(Check("playwright", False, "not installed", fix="make setup"))
    try:
        settings: Settings | None = load_settings()
    except ConfigError as exc:
        settings, settings_error = None, exc
    checks.append(_browser_check(settings))
    checks.append(_service("dovecot", "/usr/sbin/dovecot", "dovecot-imapd dovecot-lmtpd",
                           "email MFA: IMAP mailbox", require_services))
    checks.append(_service("sshd", "/usr/sbin/sshd", "openssh-server",
                           "SFTP clearinghouse drop", require_services))
    if settings is None:
        checks.append(Check("workspace", False, settings_error.message,
                            fix=settings_error.hint or ""))
    else:
        for folder in ("flows", "selectors", "recordings", "adapters", "artifacts"):
            path = settings.path(folder)
            required = folder in ("flows", "selectors")
            checks.append(Check(
                f"workspace.{folder}", path.is_dir() or not required,
                f"{path}" + ("" if path.is_dir() else " (absent)"),
                fix=f"mkdir -p {shlex.quote(str(path))}", required=required))
    checks.extend(_adapter_checks())
    return checks


def _browser_check(settings: Settings | None) -> Check:
    """The browser a run would launch: the same discovery, given the same setting (the
    workspace file's ``browser`` included), so doctor never reports another one."""
    from portwright.browser import discover_browser

    try:
        if settings is None:
            choice = discover_browser()
        else:
            choice = discover_browser(settings.browser, origin=settings.origin("browser"))
    except ConfigError as exc:
        return Check("browser", False, exc.message, fix=exc.hint or "")
    return Check("browser", choice.found,
                 f"{choice.executable or 'playwright-managed'} — {choice.reason}",
                 fix="sudo apt-get install -y chromium")


def _adapter_checks() -> list[Check]:
    """Each installed adapter, actually loaded, then the step kinds every flow parses
    against: a broken one fails every command (before any browsing), so doctor must
    report it rather than list its entry point as fine."""
    from portwright.adapter import available_adapters, load_adapter
    from portwright.exceptions import PortwrightError
    from portwright.flow.catalog import plugin_step_kinds, step_kind_adapters

    adapters = available_adapters()
    checks = [Check("adapters", True, "none", required=False)] if not adapters else []
    for name, target in sorted(adapters.items()):
        try:
            load_adapter(name)
        except PortwrightError as exc:
            checks.append(Check(f"adapter {name}", False, exc.message, fix=exc.hint or ""))
        else:
            checks.append(Check(f"adapter {name}", True, target))
    try:
        kinds = plugin_step_kinds()
    except PortwrightError as exc:
        checks.append(Check("step kinds", False, exc.message, fix=exc.hint or ""))
    else:
        origins = step_kind_adapters()  # a flow may use only its own adapter's kinds
        checks.append(Check("step kinds", True, "built-in" + "".join(
            f", {k.action} ({', '.join(sorted(origins.get(k.action, ()))) or 'any portal'})"
            for k in kinds)))
    return checks


def doctor(
    require_services: Annotated[
        bool, typer.Option(help="Treat missing Dovecot/sshd as errors (they are for tests).")
    ] = False,
) -> None:
    """Report Python, Playwright, the browser to be used and why, services and workspace."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    console = Console()
    checks = run_checks(require_services)
    table = Table(title="portwright doctor", show_lines=False)
    # a narrow terminal folds a cell onto more lines rather than end it with "…": the
    # details are paths and versions a person copies (the browser, a missing folder)
    for column in ("check", "status", "detail"):
        table.add_column(column, overflow="fold")
    for c in checks:
        if c.ok:
            status = "[green]ok[/]"
        else:
            status = "[red]MISSING[/]" if c.required else "[yellow]absent[/]"
        # details and fixes carry paths and messages: text, never Rich markup
        table.add_row(Text(c.name), status, Text(c.detail))
    console.print(table)
    failed = [c for c in checks if not c.ok and c.required]
    for c in checks:
        if not c.ok:
            console.print(f"fix {escape(c.name)}: {escape(c.fix)}", highlight=False)
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
