"""Remittances: the portal's 835 downloads, parsed, against the sandbox database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser


async def test_remittance_835_download_matches_the_payment_and_its_claims(portal: Portal) -> None:
    rem = portal.query("SELECT * FROM remittances ORDER BY claim_count DESC, id LIMIT 1")[0]
    claims = portal.query(
        "SELECT c.* FROM claims c JOIN remittance_claims rc ON rc.claim_id = c.id "
        "WHERE rc.remittance_id = ?", rem["id"])
    result = await portal.run("valant.remittances.list", {"trace_number": rem["trace_number"]})
    [remittance] = result.outputs["Remittance"]
    assert remittance.trace_number == rem["trace_number"]
    assert remittance.payment_amount == Decimal(str(rem["total_paid"])).quantize(Decimal("0.01"))
    assert remittance.payment_date is not None
    assert remittance.payment_date.isoformat() == rem["payment_date"]
    assert remittance.balance_problems == [] and remittance.format_problems == []
    assert sorted(p.patient_control_number for p in remittance.payments) == \
        sorted(c["id"] for c in claims)
    for payment in remittance.payments:
        claim = next(c for c in claims if c["id"] == payment.patient_control_number)
        assert payment.charge_amount == Decimal(str(claim["charge_amount"])).quantize(
            Decimal("0.01"))
    [file] = result.outputs["files"]
    assert Path(file["path"]).read_text(encoding="utf-8").startswith("ISA")
