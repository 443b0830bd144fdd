"""835 (005010X221A1) health-care claim payment files for the sandbox's remittances.

Built from the database on download, so the file always agrees with the claims it
pays. Balancing holds by construction, in integer cents: per service line
charge - paid = CO-45 + PR-3 (or CO-50 for a denial), per claim CLP03 - CLP04 = Σ CAS,
and BPR02 = Σ CLP04. ``tests/.../test_x835.py`` runs each file through pyx12.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime

from portwright_valant.sandbox.codes import CPT_CHARGES

__all__ = ["ClaimPayment", "Remittance835", "load_remittance", "write_835"]

_ALLOWED_PERCENT = 72  # the seed's contracted rate; must match seed/billing.py


@dataclass(frozen=True)
class ServiceLine:
    code: str
    modifiers: tuple[str, ...]
    charge: int  # cents
    paid: int
    contractual: int  # CO-45 (or CO-50 on a denial)
    patient_responsibility: int  # PR-3


@dataclass(frozen=True)
class ClaimPayment:
    claim_id: str
    status_code: str  # 1 processed as primary, 4 denied
    charge: int
    paid: int
    patient_responsibility: int
    payer_claim_number: str
    place_of_service: str
    service_date: str  # YYYY-MM-DD
    patient_last: str
    patient_first: str
    member_id: str
    provider_last: str
    provider_first: str
    provider_npi: str
    filing_indicator: str  # CLP06: 12 commercial PPO, MC Medicaid
    lines: list[ServiceLine] = field(default_factory=list)


@dataclass(frozen=True)
class Remittance835:
    remittance_id: str
    control_number: int
    payment_date: str
    trace_number: str
    total_paid: int
    payer_name: str
    payer_code: str
    payer_line1: str
    payer_city: str
    payer_region: str
    payer_postal: str
    payer_phone: str
    payee_name: str
    payee_npi: str
    payee_tax_id: str
    payee_line1: str
    payee_city: str
    payee_region: str
    payee_postal: str
    claims: list[ClaimPayment]


def _cents(value: float | None) -> int:
    return 0 if value is None else round(value * 100)


def _split_lines(codes: list[str], modifiers: tuple[str, ...], paid: int, pr: int,
                 denied: bool) -> list[ServiceLine]:
    """Spread a claim's payment over its lines so every line balances exactly."""
    charges = [round(CPT_CHARGES[c] * 100) for c in codes]
    if denied:
        return [ServiceLine(c, modifiers, ch, 0, ch, 0) for c, ch in zip(codes, charges,
                                                                           strict=True)]
    allowed_total = paid + pr
    allowed = [ch * _ALLOWED_PERCENT // 100 for ch in charges[:-1]]
    allowed.append(allowed_total - sum(allowed))
    lines = []
    remaining_pr = pr
    for code, charge, line_allowed in zip(codes, charges, allowed, strict=True):
        line_pr = min(remaining_pr, line_allowed)
        remaining_pr -= line_pr
        lines.append(ServiceLine(code, modifiers, charge, line_allowed - line_pr,
                                 charge - line_allowed, line_pr))
    return lines


def load_remittance(conn: sqlite3.Connection, remittance_id: str) -> Remittance835 | None:
    """Everything the 835 for one remittance needs, read in one pass."""
    rem = conn.execute(
        "SELECT r.*, p.name AS payer_name, p.payer_code, p.line1 AS payer_line1, "
        "p.city AS payer_city, p.region AS payer_region, p.postal_code AS payer_postal, "
        "p.phone AS payer_phone FROM remittances r JOIN payers p ON p.id = r.payer_id "
        "WHERE r.id = ?",
        (remittance_id,),
    ).fetchone()
    if rem is None:
        return None
    practice = conn.execute("SELECT * FROM practice").fetchone()
    claims = []
    for row in conn.execute(
        "SELECT c.*, pt.first_name, pt.last_name, ip.member_id, pv.first_name AS pv_first, "
        "pv.last_name AS pv_last, pv.npi AS pv_npi FROM remittance_claims rc "
        "JOIN claims c ON c.id = rc.claim_id JOIN patients pt ON pt.id = c.patient_id "
        "JOIN insurance_policies ip ON ip.id = c.policy_id "
        "JOIN providers pv ON pv.id = c.provider_id WHERE rc.remittance_id = ? ORDER BY c.id",
        (remittance_id,),
    ):
        denied = row["status"] == "denied"
        paid, pr = _cents(row["paid_amount"]), _cents(row["patient_responsibility"])
        modifiers = tuple(m for m in row["modifiers"].split(",") if m)
        lines = _split_lines(row["service_codes"].split(","), modifiers, paid, pr, denied)
        claims.append(ClaimPayment(
            claim_id=row["id"], status_code="4" if denied else "1",
            charge=sum(line.charge for line in lines), paid=paid, patient_responsibility=pr,
            payer_claim_number=row["payer_claim_number"] or row["id"],
            place_of_service=row["place_of_service"], service_date=row["service_date"],
            patient_last=row["last_name"], patient_first=row["first_name"],
            member_id=row["member_id"], provider_last=row["pv_last"],
            provider_first=row["pv_first"], provider_npi=row["pv_npi"],
            filing_indicator="MC" if row["payer_id"] == "payer_molina" else "12", lines=lines,
        ))
    return Remittance835(
        remittance_id=rem["id"], control_number=rem["control_number"],
        payment_date=rem["payment_date"], trace_number=rem["trace_number"],
        total_paid=sum(c.paid for c in claims), payer_name=rem["payer_name"],
        payer_code=rem["payer_code"], payer_line1=rem["payer_line1"],
        payer_city=rem["payer_city"], payer_region=rem["payer_region"],
        payer_postal=rem["payer_postal"], payer_phone=rem["payer_phone"],
        payee_name=practice["name"], payee_npi=practice["npi"], payee_tax_id=practice["tax_id"],
        payee_line1=practice["line1"], payee_city=practice["city"],
        payee_region=practice["region"], payee_postal=practice["postal_code"], claims=claims,
    )


def _amount(cents: int) -> str:
    """X12 decimal: no trailing zeros, no dangling point ("97.2", "135")."""
    text = f"{cents / 100:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _clean(text: str) -> str:
    """Keep element values free of the delimiters this file uses."""
    return "".join(" " if ch in "*~:^" else ch for ch in text).upper()


def write_835(rem: Remittance835, generated_at: datetime | None = None) -> str:
    """The 835 interchange for ``rem`` as X12 text, one segment per line."""
    now = generated_at or datetime.now(UTC)
    pay_date = rem.payment_date.replace("-", "")
    control = f"{rem.control_number:09d}"
    sender = f"{rem.payer_code:<15}"[:15]
    receiver = f"{rem.payee_tax_id:<15}"[:15]
    isa = ("ISA*00*          *00*          *ZZ*" + sender + "*ZZ*" + receiver + "*"
           + now.strftime("%y%m%d") + "*" + now.strftime("%H%M") + "*^*00501*" + control
           + "*0*P*:")
    body: list[str] = []
    routing, account = "125000024", "889900112"
    if rem.total_paid > 0:
        body.append(f"BPR*I*{_amount(rem.total_paid)}*C*ACH*CCP*01*{routing}*DA*{account}"
                    f"*1{rem.payee_tax_id}**01*{routing}*DA*{account}*{pay_date}")
    else:
        body.append(f"BPR*H*0*C*NON************{pay_date}")
    body.append(f"TRN*1*{rem.trace_number}*1{rem.payee_tax_id}")
    body.append(f"DTM*405*{pay_date}")
    body.append(f"N1*PR*{_clean(rem.payer_name)}")
    body.append(f"N3*{_clean(rem.payer_line1)}")
    body.append(f"N4*{_clean(rem.payer_city)}*{rem.payer_region}*{rem.payer_postal}")
    body.append(f"PER*BL*PROVIDER SERVICES*TE*{rem.payer_phone.removeprefix('+1')}")
    body.append(f"N1*PE*{_clean(rem.payee_name)}*XX*{rem.payee_npi}")
    body.append(f"N3*{_clean(rem.payee_line1)}")
    body.append(f"N4*{_clean(rem.payee_city)}*{rem.payee_region}*{rem.payee_postal}")
    body.append(f"REF*TJ*{rem.payee_tax_id}")
    body.append("LX*1")
    for claim in rem.claims:
        service_date = claim.service_date.replace("-", "")
        body.append(
            f"CLP*{claim.claim_id}*{claim.status_code}*{_amount(claim.charge)}"
            f"*{_amount(claim.paid)}*"
            + (_amount(claim.patient_responsibility) if claim.patient_responsibility else "")
            + f"*{claim.filing_indicator}*{claim.payer_claim_number}*{claim.place_of_service}*1"
        )
        body.append(f"NM1*QC*1*{_clean(claim.patient_last)}*{_clean(claim.patient_first)}"
                    f"****MI*{claim.member_id}")
        body.append(f"NM1*82*1*{_clean(claim.provider_last)}*{_clean(claim.provider_first)}"
                    f"****XX*{claim.provider_npi}")
        body.append(f"DTM*232*{service_date}")
        for line in claim.lines:
            procedure = ":".join(("HC", line.code, *line.modifiers))
            body.append(f"SVC*{procedure}*{_amount(line.charge)}*{_amount(line.paid)}**1")
            body.append(f"DTM*472*{service_date}")
            if claim.status_code == "4":
                body.append(f"CAS*CO*50*{_amount(line.contractual)}")
            else:
                if line.contractual:
                    body.append(f"CAS*CO*45*{_amount(line.contractual)}")
                if line.patient_responsibility:
                    body.append(f"CAS*PR*3*{_amount(line.patient_responsibility)}")
                body.append(f"AMT*B6*{_amount(line.paid + line.patient_responsibility)}")
    segments = ["ST*835*0001", *body]
    segments.append(f"SE*{len(segments) + 1}*0001")
    group = str(rem.control_number)
    gs = (f"GS*HP*{rem.payer_code}*{rem.payee_tax_id}*{now.strftime('%Y%m%d')}"
          f"*{now.strftime('%H%M')}*{group}*X*005010X221A1")
    lines = [isa, gs, *segments, f"GE*1*{group}", f"IEA*1*{control}"]
    return "~\n".join(lines) + "~\n"
