"""The Valant scenarios committed under ``recordings/valant/``: flow, account and inputs.

A recording's ``meta.json`` says what was recorded, but not everything needed to record
it again: the account is a sandbox user whose secrets depend on the sandbox and mailbox of
the moment, and an input may be relative to the day (an appointment's time). This table
is that missing half, so ``scripts/record_valant.py`` can record every scenario again in
one command, and a test keeps it equal to what is committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

__all__ = ["SCENARIOS", "RecordedScenario"]

#: the account every scenario without a second factor of its own uses (no MFA)
_DEV = "devadmin"


def _no_inputs(_today: date) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class RecordedScenario:
    """One committed scenario: recorded in every UI version of the sandbox."""

    flow: str
    name: str
    account: str
    #: the flow inputs, given the day the recording is made (UTC)
    inputs: Callable[[date], dict[str, str]] = field(default=_no_inputs)

    @property
    def key(self) -> str:
        return f"{self.flow}/{self.name}"


def _fixed(**inputs: str) -> Callable[[date], dict[str, str]]:
    return lambda _today: dict(inputs)


def _end_before_start(today: date) -> dict[str, str]:
    """A follow-up booked the day after tomorrow that ends an hour before it starts: the
    portal's form rejects it (the point of the scenario), whatever the day."""
    start = datetime.combine(today + timedelta(days=2), time(17), tzinfo=UTC)
    return {"patient_id": "pt_0f4205", "provider_id": "prv_2217be",
            "location_id": "loc_0c5c7f", "appointment_type": "Follow-up",
            "service_codes": '["90834"]', "diagnosis_codes": '["F41.1"]',
            "start_time": f"{start:%Y-%m-%dT%H:%M:%SZ}",
            "end_time": f"{start - timedelta(hours=1):%Y-%m-%dT%H:%M:%SZ}"}


def _fortnight_around(today: date) -> dict[str, str]:
    """One provider's appointments from a week before the recording day to a week after
    (the sandbox seeds its calendar around the day it is started)."""
    return {"start_date": f"{today - timedelta(days=7):%Y-%m-%d}",
            "end_date": f"{today + timedelta(days=7):%Y-%m-%d}",
            "provider_id": "prv_0ed904"}


SCENARIOS: tuple[RecordedScenario, ...] = (
    RecordedScenario("valant.login", "password", _DEV),
    RecordedScenario("valant.login", "totp", "admin"),
    RecordedScenario("valant.login", "sms", "clinician"),
    RecordedScenario("valant.login", "email", "scheduler"),
    RecordedScenario("valant.login.sso", "sso", "jlee"),
    RecordedScenario("valant.providers.list", "all", _DEV),
    RecordedScenario("valant.locations.list", "all", _DEV),
    RecordedScenario("valant.claims.list", "first-five", _DEV, _fixed(max_results="5")),
    RecordedScenario("valant.patients.list", "discharged-one-provider", _DEV,
                     _fixed(status="discharged", provider_id="prv_0ed904")),
    RecordedScenario("valant.assessments.list", "one-patient", _DEV,
                     _fixed(patient_id="pt_1bf702")),
    RecordedScenario("valant.encounters.list", "one-patient", _DEV,
                     _fixed(patient_id="pt_1bf702")),
    RecordedScenario("valant.appointments.create", "validation-error", _DEV,
                     _end_before_start),
    RecordedScenario("valant.patients.get", "one-patient", _DEV,
                     _fixed(patient_id="pt_1bf702")),
    RecordedScenario("valant.appointments.list", "one-provider-fortnight", _DEV,
                     _fortnight_around),
    RecordedScenario("valant.appointments.get", "completed", _DEV,
                     _fixed(appointment_id="apt_90e7ce")),
    RecordedScenario("valant.notes.list", "one-patient", _DEV, _fixed(patient_id="pt_1bf702")),
    RecordedScenario("valant.treatment_plans.list", "one-patient", _DEV,
                     _fixed(patient_id="pt_1bf702")),
    RecordedScenario("valant.tasks.list", "all", _DEV, _fixed(status="all")),
    RecordedScenario("valant.claims.get", "denied", _DEV, _fixed(claim_id="clm_86f7ce")),
    RecordedScenario("valant.remittances.list", "one-trace", _DEV,
                     _fixed(trace_number="EFT4417381424")),
    RecordedScenario("valant.remittances.download_835", "one-remittance", _DEV,
                     _fixed(remittance_id="rmt_865ef1")),
    RecordedScenario("valant.encounters.export_packet", "one-encounter", _DEV,
                     _fixed(encounter_id="enc_eb85eb")),
)
