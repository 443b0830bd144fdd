"""The Valant tour behind ``portwright demo`` (``make demo``): the whole adapter in a minute.

It starts the sandbox portal in this process on a free port (its database kept under the
workspace's state folder, so a rerun sees what the last run wrote), signs in with password
and TOTP, lists patients, books an appointment, pulls outcome measures with severities and
prints a short summary. Booking uses a fixed reference id: a rerun finds the appointment
it booked the first time and returns it instead of booking a second.

The engine's ``portwright demo`` command only loads the adapter and calls
:func:`run_demo`; nothing in the engine imports this package.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from portwright.engine import Engine
from portwright.entities import Appointment, AssessmentResult, Patient, Provider
from portwright.exceptions import ConfigError
from portwright.settings import Settings
from portwright.templating import StaticSecretResolver

if TYPE_CHECKING:
    from portwright_valant.sandbox.config import SandboxConfig

__all__ = ["DEMO_REFERENCE", "DemoOptions", "run_demo"]

#: the tour's booking key: the same on every run, which is what makes reruns idempotent
DEMO_REFERENCE = "portwright-demo-tour-0001"
#: the sandbox's seeded administrator signs in with a password and an authenticator code
DEMO_ACCOUNT = "admin"


@dataclass(frozen=True)
class DemoOptions:
    """What the tour runs against."""

    ui_version: str = "2026.1"
    patients: int = 60
    seed: int = 7
    fresh: bool = False


@dataclass
class _Timings:
    steps: list[tuple[str, float]] = field(default_factory=list)

    def add(self, title: str, started: float) -> None:
        self.steps.append((title, time.perf_counter() - started))


def _sandbox_config(settings: Settings, options: DemoOptions) -> SandboxConfig:
    """The sandbox the tour runs against, its database under the workspace's state folder.
    An option the sandbox refuses (an unknown UI version, a negative patient count) is a
    ConfigError, raised before anything is started or deleted."""
    from portwright_valant.sandbox.config import SandboxConfig

    path = settings.path("state") / "demo" / \
        f"valant-{options.ui_version}-seed{options.seed}.sqlite3"
    try:
        return SandboxConfig(ui_version=options.ui_version, seed=options.seed,
                             patients=options.patients, db_path=path)
    except ValueError as exc:
        raise ConfigError(f"demo: {exc}", hint="see portwright demo --help") from None


def _database(config: SandboxConfig, fresh: bool) -> Path:
    """The demo's database path, removed first when ``fresh``."""
    assert config.db_path is not None
    config.db_path.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{config.db_path}{suffix}").unlink(missing_ok=True)
    return config.db_path


def _booking_slot(today: datetime) -> tuple[str, str]:
    """Two weeks out, 07:00-07:50 UTC: before the seeded clinic hours, so it never clashes."""
    day = (today + timedelta(days=14)).date()
    return f"{day.isoformat()}T07:00:00Z", f"{day.isoformat()}T07:50:00Z"


def _patients_table(patients: list[Patient]) -> Table:
    table = Table(title=f"Patients ({len(patients)} listed, first 5 shown)", expand=False)
    for column in ("patientId", "MRN", "name", "DOB", "status", "portal"):
        table.add_column(column)
    for patient in patients[:5]:  # the portal's text is not Rich markup
        table.add_row(*(escape(cell) for cell in (
            patient.patient_id, patient.mrn, f"{patient.first_name} {patient.last_name}",
            patient.dob.isoformat(), patient.status or "", patient.portal_enrollment.status)))
    return table


def _results_table(results: list[AssessmentResult]) -> Table:
    """Fits 80 columns without breaking a word: ids and numbers never wrap, a severity
    wraps between its words, and each flag has its own line."""
    table = Table(title="Outcome measures (scored from item answers)")
    for column in ("result", "measure", "score", "severity", "base", "change"):
        table.add_column(column, no_wrap=column != "severity")
    table.add_column("flags", no_wrap=True)
    for result in results:
        delta = result.delta_from_baseline
        table.add_row(*(escape(cell) for cell in (
            result.assessment_result_id, result.instrument, str(result.score_total),
            (result.severity or "-").replace("_", " "), str(result.baseline_score),
            "-" if delta is None else f"{delta:+d}", "\n".join(result.flags) or "-")))
    return table


async def run_demo(settings: Settings, console: Console, options: DemoOptions) -> None:
    """Run the tour; raises ConfigError for options the sandbox refuses, and another
    PortwrightError (with a clear message) if a step fails."""
    from portwright_valant.sandbox.auth.accounts import account
    from portwright_valant.sandbox.server import SandboxServer

    timings = _Timings()
    started = time.perf_counter()
    config = _sandbox_config(settings, options)
    db_path = _database(config, options.fresh)
    rerun = db_path.exists()
    console.rule("[bold]portwright demo: the Valant adapter against its sandbox")
    with console.status("starting the Valant sandbox (seeding a new database takes a moment)"):
        server = SandboxServer(config)
        server.start()
    timings.add("start the sandbox", started)
    console.print(f"sandbox: Valant UI {options.ui_version} at {server.url} "
                  f"({'database kept from the last run' if rerun else 'new database'}: "
                  f"{db_path})")
    admin = account(DEMO_ACCOUNT)
    secrets = StaticSecretResolver(
        {"username": admin.username, "password": admin.password or "",
         "totp_secret": admin.totp_secret or ""},
        label="the demo account")
    engine = Engine(settings, trace="off", portal_urls={"valant": server.url}, secrets=secrets)
    try:
        await _tour(engine, server.url, console, timings, rerun)
        conn = server.state.connect()
        try:
            booked = conn.execute("SELECT count(*) FROM appointments WHERE reference_id = ?",
                                  (DEMO_REFERENCE,)).fetchone()[0]
        finally:
            conn.close()
        console.print(Panel.fit(
            "\n".join(f"{title:<34} {seconds:6.2f} s" for title, seconds in timings.steps)
            + f"\n{'total':<34} {time.perf_counter() - started:6.2f} s\n"
            + f"appointments carrying {DEMO_REFERENCE}: {booked} "
            + "(rerun `make demo`: still 1)",
            title="summary"))
    finally:
        await engine.close()
        server.stop()


async def _tour(engine: Engine, url: str, console: Console, timings: _Timings,
                rerun: bool) -> None:
    step = time.perf_counter()
    login = await engine.run("valant.login.totp")
    timings.add("sign in (password + TOTP)", step)
    console.print(f"[green]signed in[/] as {DEMO_ACCOUNT} with password and TOTP "
                  f"(UI version detected from the page: {login.portal_version or 'n/a'})")

    step = time.perf_counter()
    patients: list[Patient] = (await engine.run("valant.patients.list")).outputs["Patient"]
    timings.add("list patients (all pages)", step)
    console.print(_patients_table(patients))

    step = time.perf_counter()
    providers: list[Provider] = (await engine.run("valant.providers.list")).outputs["Provider"]
    timings.add("list providers", step)
    by_id = {p.provider_id: p for p in providers}
    patient = next(p for p in patients if p.status == "active"
                   and p.primary_provider_id in by_id)
    provider = by_id[str(patient.primary_provider_id)]
    start, end = _booking_slot(datetime.now(UTC))
    step = time.perf_counter()
    booking = await engine.run("valant.appointments.create", {
        "patient_id": patient.patient_id, "provider_id": provider.provider_id,
        "location_id": provider.location_id, "appointment_type": "Follow-up",
        "service_codes": ["90834"], "diagnosis_codes": ["F41.1"],
        "start_time": start, "end_time": end, "place_of_service": "10", "telehealth": True,
        "reminder_email": True, "reminder_sms": True,
        "notes": "Booked by the portwright demo tour.", "reference_id": DEMO_REFERENCE,
    })
    timings.add("book an appointment (idempotent)", step)
    appointment: Appointment = booking.outputs["Appointment"][0]
    verb = "booked" if booking.outputs["created"] else "found the earlier booking"
    console.print(f"[green]{verb}[/] " + escape(
        f"{appointment.appointment_id} for {patient.first_name} "
        f"{patient.last_name} with {provider.first_name} {provider.last_name}, "
        f"{appointment.start_time:%Y-%m-%d %H:%M} UTC, CPT {appointment.service_code}, "
        f"ICD-10 {', '.join(appointment.diagnosis_codes)}, POS {appointment.place_of_service},"
        f" video link {appointment.telehealth.link} (reference {appointment.reference_id})"))
    if rerun and booking.outputs["created"]:
        console.print("[yellow]note:[/] the database was kept, yet a new booking was made")

    step = time.perf_counter()
    outcome: dict[str, Any] = (await engine.run(
        "valant.assessments.list", {"instrument": "PHQ-9", "max_results": 6})).outputs
    timings.add("pull PHQ-9 results with answers", step)
    console.print(_results_table(outcome["AssessmentResult"]))
