"""Every 835 the portal serves is valid X12 005010X221A1 (pyx12) and balances."""

from __future__ import annotations

import io
import itertools
import logging
from contextlib import closing
from decimal import Decimal

import pytest
import pyx12.params
import pyx12.x12n_document

from portwright_valant.testing import SandboxHandle, http_session


def _pyx12_errors(text: str, caplog: pytest.LogCaptureFixture) -> tuple[bool, list[str]]:
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="pyx12"):
        ok = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(), src_file=io.StringIO(text), fd_997=None, fd_html=None)
    return bool(ok), [r.getMessage() for r in caplog.records if "999" not in r.getMessage()]


def _segments(text: str) -> list[list[str]]:
    return [s.strip().split("*") for s in text.split("~") if s.strip()]


def test_all_835_downloads_pass_pyx12_and_balance(
    sandbox: SandboxHandle, caplog: pytest.LogCaptureFixture
) -> None:
    ids = [r["id"] for r in sandbox.query("SELECT id FROM remittances ORDER BY id")]
    assert len(ids) > 10
    with closing(http_session(sandbox, ("biller", "Valant-Bill-2025!"))) as client:
        for rem_id in ids:
            response = client.get(f"/remittances/{rem_id}/835")
            assert response.status_code == 200
            text = response.text
            segs = _segments(text)
            zero_paid = any(s[0] == "BPR" and s[1] == "H" for s in segs)
            if rem_id in ids[:8] or zero_paid:  # pyx12 is slow: a sample plus every odd shape
                ok, errors = _pyx12_errors(text, caplog)
                assert ok and not errors, (rem_id, errors)
            bpr = next(s for s in segs if s[0] == "BPR")
            clps = [s for s in segs if s[0] == "CLP"]
            assert Decimal(bpr[2]) == sum(Decimal(c[4]) for c in clps)
            expected = sandbox.scalar("SELECT total_paid FROM remittances WHERE id = ?", rem_id)
            assert Decimal(bpr[2]) == Decimal(str(expected))
            # per claim: billed - paid = Σ adjustments (line CAS amounts)
            claim_at = [i for i, s in enumerate(segs) if s[0] == "CLP"] + [len(segs)]
            for start, end in itertools.pairwise(claim_at):
                clp = segs[start]
                cas_total = sum((Decimal(s[3]) for s in segs[start:end] if s[0] == "CAS"),
                                Decimal(0))
                assert Decimal(clp[3]) - Decimal(clp[4]) == cas_total, clp
                row = sandbox.query("SELECT status, paid_amount FROM claims WHERE id = ?", clp[1])
                assert row and Decimal(str(row[0]["paid_amount"])) == Decimal(clp[4])
                assert clp[2] == ("4" if row[0]["status"] == "denied" else "1")


def test_pyx12_oracle_rejects_a_broken_835(
    sandbox: SandboxHandle, caplog: pytest.LogCaptureFixture
) -> None:
    rem_id = sandbox.scalar("SELECT id FROM remittances ORDER BY id LIMIT 1")
    with closing(http_session(sandbox, ("biller", "Valant-Bill-2025!"))) as client:
        text = client.get(f"/remittances/{rem_id}/835").text
    broken = text.replace("DTM*405*", "DTM*405*2026", 1)  # an impossible date
    ok, errors = _pyx12_errors(broken, caplog)
    assert not ok or errors
