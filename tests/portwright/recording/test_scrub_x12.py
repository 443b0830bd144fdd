"""Scrubbing an X12 download (an 835 the portal lets a biller save): the patient's and
insured's identity leaves the file, short names included, and the scrubbed file still
parses, to the names the scrubbed golden output holds."""

from __future__ import annotations

import base64
import json
from typing import Any

from portwright.recording.scrub import BASELINE_POLICY, Pseudonymizer, Scrubber, ScrubPolicy
from portwright.x12.parse835 import parse_835

POLICY = BASELINE_POLICY.merged(ScrubPolicy.model_validate({
    "fields": {"patient_name": "full_name", "member_id": "member_id"}}))

#: the patient of the second claim has a five-letter first name: shorter than the table's
#: "replace anywhere" length, so only the X12 walk can find it between * and ~
ERA = (
    "ISA*00*          *00*          *ZZ*60054          *ZZ*911234567      *261201*1146*^*"
    "00501*000001001*0*P*:~GS*HP*60054*911234567*20261201*1146*1001*X*005010X221A1~"
    "ST*835*0001~BPR*I*272.4*C*ACH*CCP*01*125000024*DA*889900112*1911234567**01*125000024*"
    "DA*889900112*20261001~TRN*1*EFT4417381424*1911234567~DTM*405*20261001~N1*PR*AETNA~"
    "N3*PO BOX 1074~N4*HARTFORD*CT*06156~N1*PE*CASCADIA BEHAVIORAL HEALTH*XX*2202466332~"
    "N3*200 WELLNESS AVE~N4*SEATTLE*WA*98109~LX*1~"
    "CLP*clm_14f071*1*210*121.2*30*12*902139971800*11*1~"
    "NM1*QC*1*TANAKAWA*JESSAMYN****MI*W4871367~DTM*232*20260908~"
    "SVC*HC:90791*210*121.2**1~DTM*472*20260908~CAS*CO*45*58.8~CAS*PR*3*30~"
    "CLP*clm_bb0b45*1*210*151.2**12*560685249568*11*1~"
    "NM1*QC*1*NAKAMURA*LOGAN*Q***MI*W3447574~DTM*232*20260914~"
    "SVC*HC:90791*210*151.2**1~DTM*472*20260914~CAS*CO*45*58.8~"
    "SE*24*0001~GE*1*1001~IEA*1*000001001~"
)
REAL = ["TANAKAWA", "JESSAMYN", "W4871367", "NAKAMURA", "LOGAN", "W3447574"]


def _har(body: str) -> dict[str, Any]:
    """The download as the recorder puts it into the HAR: base64, the portal's MIME type."""
    return {"log": {"entries": [{
        "request": {"method": "GET", "url": "https://portal.test/remittances/r1/835",
                    "headers": []},
        "response": {"status": 200, "headers": [], "content": {
            "mimeType": "application/edi-x12", "encoding": "base64",
            "text": base64.b64encode(body.encode()).decode()}}}]}}


def _scrubbed(golden: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    scrubber = Scrubber(POLICY, Pseudonymizer("k"))
    har = _har(ERA)
    scrubber.learn_har(har)
    scrubber.learn_json(golden)
    content = scrubber.scrub_har(har)["log"]["entries"][0]["response"]["content"]
    assert "encoding" not in content, "the X12 body is kept as scrubbed text"
    return str(content["text"]), scrubber.scrub_json(golden)


def _golden() -> dict[str, Any]:
    payments = [{"patientName": f"{p.patient_name}", "memberId": p.member_id}
                for r in parse_835(ERA) for p in r.payments]
    return {"outputs": {"Remittance": [{"payments": payments}]}}


def test_patient_identity_leaves_the_x12_file() -> None:
    text, _ = _scrubbed(_golden())
    for value in REAL:
        assert value not in text, value
    # the payer, payee and claim numbers are nobody's personal data: kept
    assert "N1*PR*AETNA~" in text and "CLP*clm_bb0b45*" in text
    assert text.count("~") == ERA.count("~")


def test_the_scrubbed_file_parses_to_the_scrubbed_golden() -> None:
    text, golden = _scrubbed(_golden())
    payments = [{"patientName": p.patient_name, "memberId": p.member_id}
                for r in parse_835(text) for p in r.payments]
    assert len(payments) == 2
    assert payments == golden["outputs"]["Remittance"][0]["payments"]
    assert json.dumps(payments) != json.dumps(_golden()["outputs"]["Remittance"][0]["payments"])


def test_a_file_no_golden_field_names_is_scrubbed_from_its_own_segments() -> None:
    text, _ = _scrubbed({"outputs": {}})
    for value in REAL:
        assert value not in text, value
