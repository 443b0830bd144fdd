"""Claims (837P shape) and their adjudication, in both UI versions, against the database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from portwright.exceptions import StepError

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser

#: a real 837P (the X12 reference's first example), which the portal accepts
REFERENCE_837 = Path("/work/shared/reference/x12/837p_lfh_example1_X222A1.x12")


def cents(value: float | None) -> str | None:
    return None if value is None else str(Decimal(str(value)).quantize(Decimal("0.01")))


async def test_claims_of_a_status_with_lines_parties_and_adjudication(portal: Portal) -> None:
    status = portal.query("SELECT status FROM claims GROUP BY status HAVING count(*) >= 2 "
                          "ORDER BY count(*), status LIMIT 1")[0][0]
    rows = portal.query(
        "SELECT c.*, i.member_id, pv.npi AS pv_npi, pv.first_name AS pv_first, "
        "pv.last_name AS pv_last FROM claims c JOIN insurance_policies i ON i.id = c.policy_id "
        "JOIN providers pv ON pv.id = c.provider_id WHERE c.status = ?", status)
    practice = portal.query("SELECT name, npi FROM practice")[0]
    result = await portal.run("valant.claims.list", {"status": status})
    claims = {c.claim_id: c for c in result.outputs["Claim"]}
    assert set(claims) == {r["id"] for r in rows}
    for row in rows:
        claim = claims[row["id"]]
        assert claim.payer_id == row["payer_id"]
        assert (claim.billing_provider.npi, claim.billing_provider.name) == \
            (practice["npi"], practice["name"])
        assert claim.rendering_provider is not None
        assert (claim.rendering_provider.npi, claim.rendering_provider.first_name,
                claim.rendering_provider.last_name) == (row["pv_npi"], row["pv_first"],
                                                        row["pv_last"])
        assert (claim.patient.patient_id, claim.patient.member_id) == \
            (row["patient_id"], row["member_id"])
        assert claim.diagnosis_codes == row["diagnosis_codes"].split(",")
        assert [line.service_code for line in claim.service_lines] == \
            row["service_codes"].split(",")
        assert claim.total_charge() == Decimal(cents(row["charge_amount"]) or "0")
        assert claim.place_of_service == row["place_of_service"]
        assert {line.service_date.isoformat() for line in claim.service_lines
                if line.service_date} == {row["service_date"]}
        modifiers = [m for m in row["modifiers"].split(",") if m]
        assert all(line.modifiers == modifiers for line in claim.service_lines)
    statuses = {s["claimId"]: s for s in result.outputs["statuses"]}
    assert statuses == {r["id"]: {
        "claimId": r["id"], "status": r["status"], "billed": cents(r["charge_amount"]),
        "paid": cents(r["paid_amount"]), "patientOwes": cents(r["patient_responsibility"]),
        "payerClaimNumber": r["payer_claim_number"]} for r in rows}


async def test_get_one_claim_with_its_status(portal: Portal) -> None:
    row = portal.query("SELECT * FROM claims WHERE status = 'paid' ORDER BY id LIMIT 1")[0]
    result = await portal.run("valant.claims.get", {"claim_id": row["id"]})
    [claim] = result.outputs["Claim"]
    assert (claim.claim_id, claim.payer_id, claim.patient.patient_id) == \
        (row["id"], row["payer_id"], row["patient_id"])
    assert result.outputs["status"] == {
        "claimId": row["id"], "status": "paid", "billed": cents(row["charge_amount"]),
        "paid": cents(row["paid_amount"]), "patientOwes": cents(row["patient_responsibility"]),
        "payerClaimNumber": row["payer_claim_number"]}


async def test_an_error_page_after_an_837_upload_fails_at_once_and_says_so(
        portal: Portal, tmp_path: Path) -> None:
    batch = tmp_path / f"batch-{portal.version}.837"
    batch.write_bytes(REFERENCE_837.read_bytes())
    before = portal.query("SELECT count(*) FROM claim_uploads")[0][0]
    with pytest.raises(StepError, match="may or may not have landed"):
        await portal.run_losing_first_post("valant.claims.upload", {"file": str(batch)},
                                           "**/claims/upload", when="before")
    assert portal.faults_seen == ["before"]
    # (it used to wait out the flash message's whole timeout, then blame the selector map)
    assert portal.query("SELECT count(*) FROM claim_uploads")[0][0] == before
