"""``portwright claims build|validate`` and ``portwright era parse|reconcile``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portwright.cli import app
from portwright.testing.claims import make_claim, make_line, make_submitter
from portwright.testing.x12_oracle import pyx12_check

runner = CliRunner()
SAMPLES = Path("/work/shared/reference/x12")
ENV = {"COLUMNS": "200"}


def _claims_file(path: Path, *claims: object, extra: dict[str, object] | None = None) -> Path:
    body = {"submitter": make_submitter().to_json_dict(),
            "claims": [c.to_json_dict() for c in claims]}  # type: ignore[attr-defined]
    body.update(extra or {})
    path.write_text(json.dumps(body))
    return path


def test_build_writes_a_valid_837_and_control_numbers_advance(tmp_path: Path) -> None:
    src = _claims_file(tmp_path / "claims.json", make_claim("CLM-C1"), make_claim(
        "CLM-C2", service_lines=[make_line(modifiers=["95"], place_of_service="02")]))
    out = tmp_path / "out" / "batch.837"
    state = ["--state", str(tmp_path / "state")]
    result = runner.invoke(app, ["claims", "build", str(src), "-o", str(out), *state], env=ENV)
    assert result.exit_code == 0, result.output
    assert "2 claim(s), interchange 000000001" in result.output
    verdict = pyx12_check(out.read_text())
    assert verdict.ok, verdict.errors
    second = tmp_path / "second.837"
    result = runner.invoke(app, ["claims", "build", str(src), "-o", str(second), *state],
                           env=ENV)
    assert "interchange 000000002" in result.output
    assert "*000000002*" in second.read_text().splitlines()[0]


def test_build_with_invalid_claims_writes_nothing(tmp_path: Path) -> None:
    bad = make_claim(diagnosis_codes=["F43.1"])
    bad.billing_provider.npi = "1912301954"
    src = _claims_file(tmp_path / "claims.json", bad)
    out = tmp_path / "out.837"
    result = runner.invoke(app, ["claims", "build", str(src), "-o", str(out), "--state",
                                 str(tmp_path / "state")], env=ENV)
    assert result.exit_code == 1
    assert "billingProvider.npi: '1912301954' is not a valid NPI" in result.stderr
    assert "diagnosisCodes[0]: 'F43.1' is not a billable ICD-10-CM code" in result.stderr
    assert "no file written" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.json"]


def test_shape_errors_name_the_field(tmp_path: Path) -> None:
    src = _claims_file(tmp_path / "claims.json", make_claim())
    body = json.loads(src.read_text())
    body["claims"][0]["serviceLines"][0]["chargeAmount"] = "lots"
    del body["claims"][0]["billingProvider"]
    src.write_text(json.dumps(body))
    result = runner.invoke(app, ["claims", "validate", str(src)], env=ENV)
    assert result.exit_code == 1
    assert "claims[0].serviceLines[0].chargeAmount" in result.stderr
    assert "claims[0].billingProvider: Field required" in result.stderr
    (tmp_path / "broken.json").write_text('{"claims": [')
    result = runner.invoke(app, ["claims", "validate", str(tmp_path / "broken.json")])
    assert result.exit_code == 1 and "not JSON" in result.stderr


def test_validate_json_and_built_file_and_tampered_file(tmp_path: Path) -> None:
    src = _claims_file(tmp_path / "claims.json", make_claim(
        "CLM-V1", diagnosis_codes=["F33.1", "F41.1"],
        service_lines=[make_line(diagnosis_pointers=["1", "2"])]))
    assert runner.invoke(app, ["claims", "validate", str(src)]).exit_code == 0
    out = tmp_path / "v.837"
    runner.invoke(app, ["claims", "build", str(src), "-o", str(out), "--state",
                        str(tmp_path / "s")])
    result = runner.invoke(app, ["claims", "validate", str(out), "--pyx12"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "pyx12: OK" in result.output
    text = out.read_text()
    tampered = tmp_path / "t.837"
    tampered.write_text(text.replace("CLM*CLM-V1*120.00", "CLM*CLM-V1*130.00")
                        .replace("1234567893", "1234567894").replace("ABF:F411", "ABF:F41"))
    result = runner.invoke(app, ["claims", "validate", str(tampered)], env=ENV)
    assert result.exit_code == 1
    assert "claim CLM-V1 charges 130.00 but its lines sum to 120.00" in result.stderr
    assert "NPI '1234567894' fails the check digit" in result.stderr
    assert "'F41' is not a billable ICD-10-CM code" in result.stderr


def test_validate_a_post_claims_body(tmp_path: Path) -> None:
    body = make_claim("CLM-BODY").to_json_dict()
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body))
    ok = runner.invoke(app, ["claims", "validate", str(path)], env=ENV)
    assert ok.exit_code == 0 and "1 claim(s) ready" in ok.output
    body["serviceLines"][0]["placeOfService"] = "00"
    path.write_text(json.dumps([body]))
    bad = runner.invoke(app, ["claims", "validate", str(path)], env=ENV)
    assert bad.exit_code == 1
    assert "serviceLines[0].placeOfService: '00' is not a CMS place of service" in bad.stderr


def test_validate_reference_samples(tmp_path: Path) -> None:
    sample = SAMPLES / "837p_lfh_example1_X222A1.x12"
    ok = runner.invoke(app, ["claims", "validate", str(sample),
                             "--pyx12"], env=ENV)
    assert ok.exit_code == 0, ok.output
    cob = runner.invoke(app, ["claims", "validate",
                              str(SAMPLES / "837p_lfh_cob_example3B_X222A2.x12")], env=ENV)
    assert cob.exit_code == 1
    assert "NPI '1999996666' fails the check digit" in cob.stderr
    garbage = tmp_path / "g.837"
    garbage.write_text("not x12")
    result = runner.invoke(app, ["claims", "validate", str(garbage)])
    assert result.exit_code == 1 and "not a readable X12" in result.stderr


def test_pyx12_without_a_map_for_the_files_version_says_so() -> None:
    """pyx12 ships no X222A2 map: --pyx12 must say it cannot check, not crash."""
    result = runner.invoke(app, ["claims", "validate",
                                 str(SAMPLES / "837p_lfh_example1_X222A2.x12"), "--pyx12"],
                           env=ENV)
    assert result.exit_code == 2, result.output
    assert "--pyx12: pyx12 cannot check" in result.stderr and "005010X222A2" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_era_parse_table_and_json() -> None:
    result = runner.invoke(app, ["era", "parse", str(SAMPLES / "835_emedny_sample.x12")],
                           env=ENV)
    assert result.exit_code == 0, result.output
    assert "NYSDOH" in result.output and "45.75" in result.output
    assert "balanced" in result.output
    result = runner.invoke(app, ["era", "parse", "--json",
                                 str(SAMPLES / "835_pyx12_mult_loops.x12")])
    data = json.loads(result.stdout)
    assert data[0]["payments"][0]["status"] == "denied"
    assert data[0]["payments"][0]["chargeAmount"] == "915.39"
    assert data[0]["balanced"] is True


def test_era_parse_flags_a_remittance_that_does_not_balance(tmp_path: Path) -> None:
    text = (SAMPLES / "835_emedny_sample.x12").read_text().replace("BPR*I*45.75", "BPR*I*46.75")
    path = tmp_path / "bad.835"
    path.write_text(text)
    result = runner.invoke(app, ["era", "parse", str(path)], env=ENV)
    assert result.exit_code == 1
    assert "NOT BALANCED" in result.stderr and "BPR02 total 46.75" in result.stderr


def test_era_reconcile(tmp_path: Path) -> None:
    claims = _claims_file(
        tmp_path / "claims.json",
        make_claim("5554555444", service_lines=[make_line(service_code="99211",
                                                          charge_amount=800)]),
        make_claim("NEVER-PAID"))
    result = runner.invoke(app, ["era", "reconcile",
                                 str(SAMPLES / "835_lfh_managed_care_INVALID.x12"),
                                 "--claims", str(claims), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_number = {c["patientControlNumber"]: c for c in report["claims"]}
    assert by_number["5554555444"]["status"] == "partially_paid"
    assert by_number["5554555444"]["paid"] == "450.00"
    assert by_number["5554555444"]["patientResponsibility"] == "300.00"
    assert by_number["NEVER-PAID"]["status"] == "unmatched"
    assert [p["patientControlNumber"] for p in report["unmatchedPayments"]] == ["8765432112"]
    table = runner.invoke(app, ["era", "reconcile",
                                str(SAMPLES / "835_lfh_managed_care_INVALID.x12"),
                                "--claims", str(claims)], env=ENV)
    assert "partially_paid" in table.output and "payment for unknown claim 8765432112" in (
        table.output)


def test_submit_over_sftp_once_per_reference(tmp_path: Path, sshd: object,
                                             sftp_drop: Path) -> None:
    from portwright.testing.services.sshd import SshdServer

    assert isinstance(sshd, SshdServer)
    src = _claims_file(tmp_path / "claims.json", make_claim("CLM-SUB-1"))
    args = ["claims", "submit", str(src), "--reference-id", "cli-batch-1",
            "--sftp-host", sshd.host, "--sftp-port", str(sshd.port),
            "--sftp-user", sshd.username, "--key", str(sshd.client_key_path),
            "--host-key", sshd.host_public_key, "--remote-dir", str(sftp_drop),
            "--state", str(tmp_path / "state")]
    first = runner.invoke(app, args, env=ENV)
    assert first.exit_code == 0, first.output
    assert "cli-batch-1: delivered" in first.output
    [landed] = list(sftp_drop.iterdir())
    assert landed.name == "cli-batch-1.837"
    assert pyx12_check(landed.read_text()).ok
    again = runner.invoke(app, args, env=ENV)
    assert again.exit_code == 0 and "already submitted" in again.output
    assert list(sftp_drop.iterdir()) == [landed]
    other = SshdServer()
    other.root.mkdir(parents=True, exist_ok=True)
    other._keygen(other.root / "host_key")
    try:
        swapped = [other.host_public_key if a == sshd.host_public_key else a for a in args]
        swapped[swapped.index("cli-batch-1")] = "cli-batch-2"
        wrong_key = runner.invoke(app, swapped, env=ENV)
    finally:
        other.stop()
    assert wrong_key.exit_code == 1
    assert "host key does not match" in wrong_key.stderr
    assert list(sftp_drop.iterdir()) == [landed]


def test_era_parse_shows_the_835_s_text_as_written(tmp_path: Path) -> None:
    """Brackets in a payer's name or a claim number are the 835's text, not Rich markup."""
    text = (SAMPLES / "835_emedny_sample.x12").read_text()
    text = text.replace("N1*PR*NYSDOH~", "N1*PR*NYSDOH [b]~").replace(
        "CLP*PATIENT ACCOUNT NUMBER*", "CLP*ACCT[red]1*", 1)
    path = tmp_path / "brackets.835"
    path.write_text(text)
    result = runner.invoke(app, ["era", "parse", str(path)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "NYSDOH [b] ->" in result.output and "ACCT[red]1" in result.output


def test_claims_print_file_paths_with_brackets_whole(tmp_path: Path) -> None:
    """A path is text, not Rich markup (``[draft]`` would be read as a tag)."""
    folder = tmp_path / "batch[1]" / "[draft]"
    folder.mkdir(parents=True)
    src = _claims_file(folder / "claims[b].json", make_claim("CLM-B1"))
    ok = runner.invoke(app, ["claims", "validate", str(src)], env=ENV)
    assert ok.exit_code == 0, ok.output
    assert f"{src}: OK (1 claim(s) ready to build)" in ok.output
    out = folder / "out[red].837"
    built = runner.invoke(app, ["claims", "build", str(src), "-o", str(out), "--state",
                                str(tmp_path / "state")], env=ENV)
    assert built.exit_code == 0, built.output
    assert f"wrote {out}: 1 claim(s)" in built.output
    checked = runner.invoke(app, ["claims", "validate", str(out)], env=ENV)
    assert f"{out}: OK" in checked.output
    bad = make_claim("CLM-B2")
    bad.billing_provider.npi = "1912301954"
    not_built = runner.invoke(app, ["claims", "build", str(_claims_file(
        folder / "bad.json", bad)), "-o", str(out), "--state", str(tmp_path / "state")],
        env=ENV)
    assert not_built.exit_code == 1
    assert f"no file written to {out}" in not_built.stderr


def test_submit_refuses_an_sftp_port_no_socket_can_have(tmp_path: Path) -> None:
    src = _claims_file(tmp_path / "claims.json", make_claim("CLM-SUB-2"))
    key = tmp_path / "id_ed25519"
    key.write_text("not used: the port is refused first\n")
    result = runner.invoke(app, [
        "claims", "submit", str(src), "--reference-id", "cli-batch-port",
        "--sftp-host", "127.0.0.1", "--sftp-port", "70000", "--sftp-user", "u",
        "--key", str(key), "--host-key", "ssh-ed25519 AAAA", "--remote-dir", "/drop",
        "--state", str(tmp_path / "state")], env=ENV)
    assert result.exit_code == 2
    assert "--sftp-port" in result.output and "65535" in result.output
    assert not (tmp_path / "state").exists()  # nothing built, numbered or recorded


def test_submit_with_an_unusable_key_says_which_and_builds_nothing(tmp_path: Path) -> None:
    """A key file that is no private key, or a pinned host key that is no key line, is an
    error naming it before the claim file is built, numbered or recorded (so nothing is
    pending for a retry), not a traceback from the SSH library."""
    import subprocess

    src = _claims_file(tmp_path / "claims.json", make_claim("CLM-SUB-3"))
    good = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(good)],
                   check=True, stdin=subprocess.DEVNULL)
    not_a_key = tmp_path / "notes.txt"
    not_a_key.write_text("this is not a key\n")
    base = ["claims", "submit", str(src), "--reference-id", "cli-batch-key",
            "--sftp-host", "127.0.0.1", "--sftp-port", "2222", "--sftp-user", "u",
            "--remote-dir", "/drop", "--state", str(tmp_path / "state")]
    host_key = (good.with_suffix(".pub")).read_text().strip()  # any real key line
    for key, pinned, said in (
            (not_a_key, host_key, f"{not_a_key}: not a private key this SFTP client can use"),
            (good, "ssh-ed25519 AAAA", "the pinned host key 'ssh-ed25519 AAAA' is not a "
                                       "public key line")):
        result = runner.invoke(app, [*base, "--key", str(key), "--host-key", pinned], env=ENV)
        assert result.exit_code == 1
        assert said in result.stderr and "nothing was sent" in result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert not (tmp_path / "state").exists()


def test_build_refuses_to_write_over_its_own_claims_file(tmp_path: Path) -> None:
    """``-o`` naming the input (by any spelling) replaced the claims JSON with the 837."""
    src = _claims_file(tmp_path / "self.json", make_claim("CLM-SELF"))
    before = src.read_text()
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.json").symlink_to(src)
    state = tmp_path / "state"
    for target in (src, tmp_path / "sub" / ".." / "self.json", tmp_path / "link.json"):
        result = runner.invoke(app, ["claims", "build", str(src), "-o", str(target),
                                     "--state", str(state)], env=ENV)
        assert result.exit_code == 2, result.output
        assert "is the input file" in result.output and "--output" in result.output
        assert src.read_text() == before
    assert not state.exists()  # no control number was taken


def test_ids_too_long_for_the_envelope_are_named_and_nothing_is_written(
        tmp_path: Path) -> None:
    """A 20-character submitter id was cut to 15 in ISA06 and written whole in GS02."""
    submitter = make_submitter().model_copy(update={"submitter_id": "CASCADIABEHAVIORAL01"})
    src = _claims_file(tmp_path / "claims.json", make_claim("CLM-LONG"),
                       extra={"submitter": submitter.to_json_dict(),
                              "envelope": {"receiverId": "CLEARINGHOUSE-RECEIVER-99"}})
    out = tmp_path / "out.837"
    state = tmp_path / "state"
    result = runner.invoke(app, ["claims", "build", str(src), "-o", str(out), "--state",
                                 str(state)], env=ENV)
    assert result.exit_code == 1, result.output
    assert ("submitter.submitterId: 'CASCADIABEHAVIORAL01' is 20 characters; ISA06 (and "
            "GS02) holds 2 to 15") in result.stderr
    assert "envelope.receiverId: 'CLEARINGHOUSE-RECEIVER-99' is 25 characters" in (
        result.stderr)
    assert not out.exists() and not state.exists()
    checked = runner.invoke(app, ["claims", "validate", str(src)], env=ENV)
    assert checked.exit_code == 1
    assert "submitter.submitterId: 'CASCADIABEHAVIORAL01' is 20 characters" in checked.stderr


def test_validate_finds_envelope_ids_too_long_in_an_837(tmp_path: Path) -> None:
    src = _claims_file(tmp_path / "claims.json", make_claim("CLM-GS"))
    out = tmp_path / "ok.837"
    runner.invoke(app, ["claims", "build", str(src), "-o", str(out), "--state",
                        str(tmp_path / "s")])
    text = out.read_text()
    assert "GS*HC*CASC01*CLEARHOUSE01*" in text
    cut = tmp_path / "cut.837"
    cut.write_text(text.replace("*ZZ*CASC01         *", "*ZZ*CASCADIABEHAVIO*").replace(
        "GS*HC*CASC01*", "GS*HC*CASCADIABEHAVIORAL01*"))
    result = runner.invoke(app, ["claims", "validate", str(cut)], env=ENV)
    assert result.exit_code == 1, result.output
    assert ("segment 2 GS02: application sender code 'CASCADIABEHAVIORAL01' is 20 "
            "characters; 2 to 15 fit") in result.stderr
    overrun = tmp_path / "overrun.837"
    overrun.write_text(text.replace("*ZZ*CASC01         *", "*ZZ*CASC01          *").replace(
        "*00*          *00*", "*00*         *00*", 1))
    result = runner.invoke(app, ["claims", "validate", str(overrun)], env=ENV)
    assert result.exit_code == 1, result.output
    assert "segment 1 ISA06: 'CASC01          ' is 16 characters; the fixed-width ISA " \
           "needs 15" in result.stderr


def test_build_with_a_damaged_control_number_file_names_it(tmp_path: Path) -> None:
    src = _claims_file(tmp_path / "claims.json", make_claim("CLM-CTR"))
    state = tmp_path / "state"
    state.mkdir()
    counter = state / "x12-control-numbers.json"
    for content in ('{"interchange": 12', '{"interchange": 1000000000, "group": 3}'):
        counter.write_text(content)
        out = tmp_path / "out.837"
        result = runner.invoke(app, ["claims", "build", str(src), "-o", str(out), "--state",
                                     str(state)], env=ENV)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"{counter}: the control-number file is damaged" in result.stderr
        assert f"no file written to {out}" in result.stderr
        assert not out.exists() and counter.read_text() == content


def test_submit_refuses_a_reference_id_that_cannot_name_a_file(tmp_path: Path) -> None:
    src = _claims_file(tmp_path / "claims.json", make_claim("CLM-SUB-4"))
    key = tmp_path / "id_ed25519"
    key.write_text("not used: the reference id is refused first\n")
    result = runner.invoke(app, [
        "claims", "submit", str(src), "--reference-id", "jan/batch",
        "--sftp-host", "127.0.0.1", "--sftp-user", "u", "--key", str(key),
        "--host-key", "ssh-ed25519 AAAA", "--remote-dir", "/drop",
        "--state", str(tmp_path / "state")], env=ENV)
    assert result.exit_code == 2, result.output
    assert "--reference-id" in result.output and "cannot be used as a file name" in (
        result.output)
    assert not (tmp_path / "state").exists()


def test_era_parse_and_reconcile_refuse_a_file_with_no_remittance(tmp_path: Path) -> None:
    """An empty 835 passed (exit 0, no output) and left every claim "unmatched"."""
    empty = tmp_path / "e.835"
    empty.write_text("")
    claims = _claims_file(tmp_path / "claims.json", make_claim("CLM-EMPTY"))
    for args in (["era", "parse", str(empty)],
                 ["era", "reconcile", str(empty), "--claims", str(claims)]):
        result = runner.invoke(app, args, env=ENV)
        assert result.exit_code == 1, result.output
        assert f"{empty}: not a readable 835: no 835 transaction sets in it (it is empty)" in (
            result.stderr)
        assert result.stdout == ""


def test_era_commands_flag_the_same_remittance_twice_and_count_it_once(
        tmp_path: Path) -> None:
    text = (SAMPLES / "835_lfh_managed_care_INVALID.x12").read_text()
    twice = tmp_path / "twice.835"
    twice.write_text(text + text)
    parsed = runner.invoke(app, ["era", "parse", str(twice)], env=ENV)
    assert parsed.exit_code == 1
    assert "DUPLICATE:" in parsed.stderr and "remittance 2 repeats remittance 1" in (
        parsed.stderr)
    claims = _claims_file(tmp_path / "claims.json", make_claim(
        "5554555444", service_lines=[make_line(service_code="99211", charge_amount=800)]))
    result = runner.invoke(app, ["era", "reconcile", str(twice), "--claims", str(claims),
                                 "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["claims"][0]["paid"] == "450.00"  # once, not 900.00
    assert len(report["repeatedRemittances"]) == 1
    assert "DUPLICATE:" in result.stderr


def test_era_reconcile_flags_a_claim_paid_more_than_it_billed(tmp_path: Path) -> None:
    """Two payments (different trace numbers) for one claim: never "matched", exit 1."""
    text = (SAMPLES / "835_lfh_managed_care_INVALID.x12").read_text()
    second = text.replace("TRN*1*7170066655*", "TRN*1*7170066656*").replace(
        "*000000907*", "*000000908*").replace("IEA*1*000000907", "IEA*1*000000908")
    era = tmp_path / "paid-twice.835"
    era.write_text(text + second)
    claims = _claims_file(tmp_path / "claims.json", make_claim(
        "5554555444", service_lines=[make_line(service_code="99211", charge_amount=800)]))
    result = runner.invoke(app, ["era", "reconcile", str(era), "--claims", str(claims)],
                           env=ENV)
    assert result.exit_code == 1, result.output
    assert "overpaid" in result.stdout and "DUPLICATE" not in result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("OVERPAID")]
    assert line.startswith("OVERPAID: claim 5554555444: ")
    assert "paid 900.00 in 2 payment(s) for a charge of 800: more than was billed" in line


def test_a_claims_file_saved_with_a_byte_order_mark_or_as_utf16_is_read(
        tmp_path: Path) -> None:
    """Windows editors save a BOM (or UTF-16): 'validate' called such a file "not a
    readable X12 interchange" and 'build' refused it as "not JSON"."""
    text = json.dumps({"submitter": make_submitter().to_json_dict(),
                       "claims": [make_claim("CLM-BOM").to_json_dict()]}, indent=2)
    for name, data in (("bom.json", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()),
                       ("utf16.json", text.encode("utf-16"))):
        src = tmp_path / name
        src.write_bytes(data)
        checked = runner.invoke(app, ["claims", "validate", str(src)], env=ENV)
        assert checked.exit_code == 0, checked.output
        assert "OK (1 claim(s) ready to build)" in checked.stdout
        out = tmp_path / (name + ".837")
        built = runner.invoke(app, ["claims", "build", str(src), "-o", str(out),
                                    "--state", str(tmp_path / "state")], env=ENV)
        assert built.exit_code == 0, built.output
        assert pyx12_check(out.read_text()).ok
        assert "CLM*CLM-BOM*" in out.read_text()


def test_a_claims_file_in_another_encoding_is_named_by_line_not_a_traceback(
        tmp_path: Path) -> None:
    submitter = make_submitter().model_copy(update={"name": "CAFÉ BEHAVIORAL"})
    text = json.dumps({"submitter": submitter.to_json_dict(),
                       "claims": [make_claim().to_json_dict()]}, indent=2,
                      ensure_ascii=False)
    src = tmp_path / "latin1.json"
    src.write_bytes(text.encode("latin-1"))
    out = tmp_path / "out.837"
    for args in (["claims", "validate", str(src)],
                 ["claims", "build", str(src), "-o", str(out),
                  "--state", str(tmp_path / "state")]):
        result = runner.invoke(app, args, env=ENV)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)  # not a UnicodeDecodeError
        assert f"{src}: not UTF-8 text" in result.stderr
        assert "line 3: byte 0xc9 is not utf-8 (save the file as UTF-8)" in result.stderr
    assert not out.exists()


def test_validate_refuses_an_837_with_nothing_in_it(tmp_path: Path) -> None:
    """An empty download, or envelopes without a transaction set, said 'OK': nothing to
    bill must not pass for a good file."""
    empty = tmp_path / "empty.837"
    empty.write_text("\n")
    sample = (SAMPLES / "837p_lfh_example1_X222A1.x12").read_text()
    segments = [s for s in sample.split("~") if s.strip()]
    envelopes = [s.strip() for s in segments if s.strip()[:3] in ("ISA", "GS*", "IEA")]
    envelopes.insert(2, "GE*0*1")
    bare = tmp_path / "envelopes.837"
    bare.write_text("~\n".join(envelopes) + "~\n")
    for path, why in ((empty, "it is empty"), (bare, "envelopes without ST*837")):
        result = runner.invoke(app, ["claims", "validate", str(path)], env=ENV)
        assert result.exit_code == 1, result.output
        assert f"no 837 transaction sets in it ({why})" in result.stderr


@pytest.mark.parametrize(("command", "sample"), [
    (["claims", "validate"], "837p_lfh_example1_X222A1.x12"),
    (["era", "parse"], "835_emedny_sample.x12"),
])
def test_an_x12_file_saved_with_a_byte_order_mark_is_told_so(
        tmp_path: Path, command: list[str], sample: str) -> None:
    """An editor's "UTF-8 with BOM" put one invisible character before ISA; the error
    said only that the file must start with an ISA, which it seemed to."""
    path = tmp_path / sample
    path.write_text("\ufeff" + (SAMPLES / sample).read_text(), encoding="utf-8")
    result = runner.invoke(app, [*command, str(path)], env=ENV)
    assert result.exit_code == 1, result.output
    assert "byte-order mark" in result.stderr
    assert "without a BOM" in result.stderr
