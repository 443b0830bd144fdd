"""``portwright era``: read 835 remittances and reconcile them with the claims sent.

    portwright era parse remit.835 [--json]
    portwright era reconcile remit.835 --claims claims.json [--claims more.json] [--json]

A remittance that does not balance, a file with no remittance in it, and a remittance
that repeats another (same payer and trace number) are flagged and the command exits 1,
so a script never posts them silently; ``reconcile`` also exits 1 when a claim was paid
more than it billed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from portwright.cli.consoles import stderr_console, stdout_console
from portwright.cli.conventional_help import PortwrightTyper
from portwright.exceptions import ClaimValidationError, X12Error

if TYPE_CHECKING:
    from portwright.entities.remittance import Remittance

__all__ = ["era_app", "register"]

era_app = PortwrightTyper(help="Parse 835 remittances and reconcile them with claims.",
                          no_args_is_help=True)


def _load(path: Path) -> list[Remittance]:
    from portwright.x12.parse835 import parse_835
    from portwright.x12.x12_text import read_x12_text

    try:
        return parse_835(read_x12_text(path))
    except X12Error as exc:
        stderr_console().print(f"{path}: not a readable 835: {exc}", markup=False)
        raise typer.Exit(1) from exc


def _flag(remittances: list[Remittance]) -> int:
    """Print every problem; 1 when one of them makes the file unsafe to post as it is."""
    from portwright.x12.repeated835 import repeated_remittances

    repeats = {str(r) for r in repeated_remittances(remittances)}
    bad = 0
    for r in remittances:
        for problem in r.format_problems:
            if problem in repeats:
                stderr_console().print(f"DUPLICATE: {r.trace_number}: {problem}",
                                       markup=False)
                bad = 1
            else:
                stderr_console().print(f"warning: {r.trace_number}: {problem}", markup=False)
        for problem in r.balance_problems:
            stderr_console().print(f"NOT BALANCED: {r.trace_number}: {problem}", markup=False)
            bad = 1
    return bad


@era_app.command("parse")
def parse(
    file: Annotated[Path, typer.Argument(help="An 835 file.", exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print entities as JSON.")] = False,
) -> None:
    """Print the remittances, payments and adjustments in an 835 file."""
    from rich.markup import escape
    from rich.table import Table

    remittances = _load(file)
    if as_json:
        typer.echo(json.dumps([r.to_json_dict() | {"balanced": r.balanced}
                               for r in remittances], indent=2))
    else:
        for r in remittances:
            # the 835's own text (names, codes) is not Rich markup
            table = Table(title=escape(f"{r.payer.name} -> {r.payee.name}: {r.payment_amount} "
                                       f"({r.payment_method or r.handling_code}) trace "
                                       f"{r.trace_number}"))
            for column in ("claim", "status", "charged", "paid", "adjustments"):
                table.add_column(column, overflow="fold")  # a claim number is copied whole
            for p in r.payments:
                adj = ", ".join(f"{a.group_code}-{a.reason_code} {a.amount}"
                                for a in p.all_adjustments())
                table.add_row(escape(p.patient_control_number), escape(p.status),
                              str(p.charge_amount), str(p.paid_amount), escape(adj))
            stdout_console().print(table)
            stdout_console().print("balanced" if r.balanced else "[red]does NOT balance[/red]")
    raise typer.Exit(_flag(remittances))


@era_app.command("reconcile")
def reconcile_command(
    era: Annotated[Path, typer.Argument(help="An 835 file.", exists=True, dir_okay=False)],
    claims: Annotated[list[Path], typer.Option(
        "--claims", help="Claims that were billed (repeatable): claims files, POST /claims "
        "bodies or lists of them.",
        exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Match the 835's payments to claims: matched, partially paid, denied, unmatched."""
    from rich.markup import escape
    from rich.table import Table

    from portwright.x12.batch import load_claims
    from portwright.x12.reconcile import reconcile

    billed = []
    for path in claims:
        try:
            billed.extend(load_claims(path))
        except ClaimValidationError as exc:
            stderr_console().print(str(exc), markup=False)
            raise typer.Exit(1) from exc
    remittances = _load(era)
    report = reconcile(billed, remittances)
    if as_json:
        typer.echo(json.dumps(report.to_json_dict(), indent=2))
    else:
        table = Table(title=escape(f"{len(report.claims)} claim(s) against {era.name}"))
        for column in ("claim", "status", "charged", "paid", "patient owes", "reasons"):
            table.add_column(column, overflow="fold")  # never "PATI…": see era parse
        for c in report.claims:
            table.add_row(escape(c.patient_control_number), escape(c.status), str(c.charged),
                          str(c.paid), str(c.patient_responsibility),
                          escape("; ".join(c.reasons)))
        stdout_console().print(table)
        for p in report.unmatched_payments:
            stdout_console().print(f"payment for unknown claim {p.patient_control_number}: "
                                   f"{p.paid_amount} ({p.status})", markup=False)
    overpaid = report.by_status("overpaid")
    for c in overpaid:
        stderr_console().print(f"OVERPAID: claim {c.patient_control_number}: "
                               f"{'; '.join(c.notes)}", markup=False)
    raise typer.Exit(max(_flag(remittances), 1 if overpaid else 0))


def register(app: typer.Typer) -> None:
    app.add_typer(era_app, name="era")
