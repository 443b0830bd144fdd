"""End to end against the Valant sandbox: build claims from its appointments, submit them
over SFTP to a real sshd, download the sandbox's 835 over HTTP and reconcile.

The sandbox only adjudicates the claims it seeded, so the claims are built from the
appointments of claims it has already paid or denied (their CLM01 is the sandbox claim
id, as a clearinghouse would echo back in CLP01). The sandbox's database is the ground
truth for every amount and status.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from portwright.entities.claim import (
    BillingProvider,
    Claim,
    ClaimAddress,
    ClaimPatient,
    ClaimPayer,
    RenderingProvider,
    ServiceLine,
)
from portwright.submission import SftpChannel, SftpSettings, SubmissionLedger, submit_claims
from portwright.testing.claims import make_submitter
from portwright.testing.services.sshd import SshdServer
from portwright.testing.x12_oracle import pyx12_check
from portwright.x12.envelope import EnvelopeConfig
from portwright.x12.parse835 import parse_835
from portwright.x12.reconcile import reconcile
from portwright_valant.sandbox.codes import CPT_CHARGES
from portwright_valant.testing import SandboxHandle, http_session

pytestmark = pytest.mark.services


def _address(row: object, prefix: str = "") -> ClaimAddress:
    get = row.__getitem__  # type: ignore[attr-defined]
    return ClaimAddress(line1=get(f"{prefix}line1"), city=get(f"{prefix}city"),
                        region=get(f"{prefix}region"), postal_code=get(f"{prefix}postal_code"))


def claim_from_appointment(sandbox: SandboxHandle, appointment_id: str, number: str) -> Claim:
    """What a billing integration does: read the appointment and everything around it
    from the portal's database and map it onto a Claim."""
    [apt] = sandbox.query("SELECT * FROM appointments WHERE id = ?", appointment_id)
    [pt] = sandbox.query("SELECT * FROM patients WHERE id = ?", apt["patient_id"])
    [pol] = sandbox.query("SELECT * FROM insurance_policies WHERE patient_id = ? "
                          "AND rank = 'primary'", apt["patient_id"])
    [payer] = sandbox.query("SELECT * FROM payers WHERE id = ?", pol["payer_id"])
    [pv] = sandbox.query("SELECT * FROM providers WHERE id = ?", apt["provider_id"])
    [practice] = sandbox.query("SELECT * FROM practice")
    diagnoses = apt["diagnosis_codes"].split(",")
    telehealth = apt["place_of_service"] in ("02", "10")
    day = date.fromisoformat(apt["start_time"][:10])
    lines = [
        ServiceLine(appointment_id=apt["id"], line_control_number=f"{apt['id']}-{n}",
                    service_code=code, modifiers=["95"] if telehealth else [],
                    diagnosis_pointers=[str(i + 1) for i in range(min(4, len(diagnoses)))],
                    place_of_service=apt["place_of_service"],
                    charge_amount=Decimal(str(CPT_CHARGES[code])), service_date=day,
                    rendering_provider_id=pv["id"])
        for n, code in enumerate(apt["service_codes"].split(","), start=1)
    ]
    zip9 = practice["postal_code"].replace("-", "")
    return Claim(
        patient_control_number=number, payer_id=payer["payer_code"],
        payer=ClaimPayer(name=payer["name"], address=_address(payer)),
        claim_filing_code="MC" if payer["id"] == "payer_molina" else "CI",
        billing_provider=BillingProvider(
            npi=practice["npi"], name=practice["name"], tax_id=practice["tax_id"],
            taxonomy_code=practice["taxonomy_code"],
            billing_address=ClaimAddress(
                line1=practice["line1"], city=practice["city"], region=practice["region"],
                postal_code=zip9 if len(zip9) == 9 else zip9 + "0000")),
        rendering_provider=RenderingProvider(
            provider_id=pv["id"], npi=pv["npi"], first_name=pv["first_name"],
            last_name=pv["last_name"], taxonomy_code=pv["taxonomy_code"]),
        patient=ClaimPatient(
            patient_id=pt["id"], member_id=pol["member_id"], group_number=pol["group_number"],
            first_name=pt["first_name"], last_name=pt["last_name"],
            dob=date.fromisoformat(pt["dob"]), sex=pt["sex"], address=_address(pt)),
        diagnosis_codes=diagnoses, service_lines=lines, reference_id=apt["id"],
    )


def test_sandbox_appointment_to_sftp_to_reconciled_835(
        sandbox: SandboxHandle, sshd: SshdServer, sftp_drop: Path, tmp_path: Path) -> None:
    # One paid and one denied claim, each from a remittance the sandbox can serve.
    picked = {}
    for status in ("paid", "denied"):
        rows = sandbox.query(
            "SELECT c.id, c.appointment_id, rc.remittance_id FROM claims c "
            "JOIN remittance_claims rc ON rc.claim_id = c.id WHERE c.status = ? "
            "ORDER BY c.id LIMIT 1", status)
        assert rows, f"the sandbox seed has no {status} claim"
        picked[status] = rows[0]
    claims = [claim_from_appointment(sandbox, row["appointment_id"], row["id"])
              for row in picked.values()]

    # Submit over SFTP to a real sshd, twice: the retry sends nothing.
    channel = SftpChannel(SftpSettings(
        host=sshd.host, port=sshd.port, username=sshd.username,
        key_path=sshd.client_key_path, remote_dir=str(sftp_drop),
        host_key=sshd.host_public_key))
    ledger = SubmissionLedger(tmp_path / "state" / "submissions")
    config = EnvelopeConfig(sender_id="CASC01", receiver_id="CLEARHOUSE01")
    first = submit_claims("sandbox-e2e-1", claims, make_submitter(), config, channel, ledger)
    again = submit_claims("sandbox-e2e-1", claims, make_submitter(), config, channel, ledger)
    assert (first.duplicate, again.duplicate) == (False, True)
    [landed] = list(sftp_drop.iterdir())
    verdict = pyx12_check(landed.read_text())
    assert verdict.ok, verdict.errors

    # Download the sandbox's 835s over HTTP (signed in) and reconcile.
    remittance_ids = sorted({row["remittance_id"] for row in picked.values()})
    client = http_session(sandbox)
    texts = []
    try:
        for rid in remittance_ids:
            response = client.get(f"/remittances/{rid}/835")
            assert response.status_code == 200, response.text[:200]
            texts.append(response.text)
    finally:
        client.close()
    remittances = [r for text in texts for r in parse_835(text)]
    assert all(r.balanced for r in remittances), [r.balance_problems for r in remittances]
    report = reconcile(claims, remittances)

    by_number = {c.patient_control_number: c for c in report.claims}
    for status, row in picked.items():
        [truth] = sandbox.query("SELECT * FROM claims WHERE id = ?", row["id"])
        result = by_number[row["id"]]
        assert result.charged == Decimal(str(truth["charge_amount"])).quantize(Decimal("0.01"))
        assert result.paid == Decimal(str(truth["paid_amount"]))
        assert result.patient_responsibility == Decimal(str(truth["patient_responsibility"]))
        assert result.payer_claim_control_number == truth["payer_claim_number"]
        if status == "denied":
            assert result.status == "denied"
        else:  # the sandbox pays 72% of charges (CO-45 write-off), less any copay (PR-3)
            owes = Decimal(str(truth["patient_responsibility"])) > 0
            assert result.status == ("partially_paid" if owes else "matched")
            assert any(r.startswith("CO-45") for r in result.reasons)
        assert all(line.paid is not None for line in result.lines)
        assert sum(line.paid or 0 for line in result.lines) == result.paid
    # Every other claim the sandbox paid in those remittances is "not ours".
    others = {r["claim_id"] for rid in remittance_ids for r in sandbox.query(
        "SELECT claim_id FROM remittance_claims WHERE remittance_id = ?", rid)}
    others -= {row["id"] for row in picked.values()}
    assert {p.patient_control_number for p in report.unmatched_payments} == others
