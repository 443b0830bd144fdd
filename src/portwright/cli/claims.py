"""``portwright claims``: build 837P files from a claims JSON file, and check files.

    portwright claims build claims.json -o out.837
    portwright claims validate claims.json      (the JSON, before building; also a single
                                                 POST /claims body or a list of them)
    portwright claims validate out.837 [--pyx12]
    portwright claims submit claims.json --reference-id REF --sftp-host H --sftp-user U \
        --key KEY --host-key "ssh-ed25519 AAAA..." --remote-dir /inbound
    portwright claims status [--reference-id REF] [--json]   (the submission ledger)

Exit codes: 0 fine, 1 the claims or file have problems (each printed with its field or
segment), 2 bad usage. A build with problems writes no file. Paths and messages print as
written (``markup=False``: ``[draft]`` in a path is text, not a Rich tag).
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from portwright.cli.consoles import stderr_console, stdout_console
from portwright.cli.conventional_help import PortwrightTyper
from portwright.exceptions import ClaimValidationError, PortwrightError, X12Error

if TYPE_CHECKING:
    from portwright.submission.ledger import SubmissionLedger

__all__ = ["claims_app", "register"]

claims_app = PortwrightTyper(help="Build and check 837P claim files.", no_args_is_help=True)


def _report(exc: ClaimValidationError) -> None:
    stderr_console().print(exc.message.splitlines()[0], style="red", markup=False)
    for problem in exc.problems:
        stderr_console().print(f"  - {problem.field}: {problem.message}", markup=False)


def _write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename: no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="ascii", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@claims_app.command("build")
def build(
    claims_file: Annotated[Path, typer.Argument(help="Claims JSON (submitter, claims).",
                                                exists=True, dir_okay=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="The 837P file to write.")],
    state: Annotated[Path | None, typer.Option(
        help="State folder holding the control-number counter (default: workspace state)."
    )] = None,
) -> None:
    """Validate the claims and write one 837P (005010X222A1) interchange."""
    from portwright.cli.output_path import prepared_output
    from portwright.settings import load_settings
    from portwright.x12.batch import load_claim_batch
    from portwright.x12.build837 import build_837p
    from portwright.x12.envelope import FileControlNumbers

    # before a control number is taken; never over the claims file itself
    prepared_output(output, "--output", inputs=[claims_file])
    try:
        batch = load_claim_batch(claims_file)
        folder = state or load_settings().path("state")
        numbers = FileControlNumbers(folder / "x12-control-numbers.json")
        result = build_837p(batch.claims, batch.submitter, batch.envelope,
                            numbers=numbers, now=datetime.now(UTC))
    except ClaimValidationError as exc:
        _report(exc)
        stderr_console().print(f"no file written to {output}", markup=False)
        raise typer.Exit(1) from exc
    except PortwrightError as exc:  # e.g. a damaged control-number file
        stderr_console().print(str(exc), markup=False)
        stderr_console().print(f"no file written to {output}", markup=False)
        raise typer.Exit(1) from exc
    _write_atomically(output, result.text)
    stdout_console().print(f"wrote {output}: {result.claim_count} claim(s), interchange "
                           f"{result.interchange_control_number}, {len(result.text)} bytes",
                           markup=False)


def _reference_id(value: str, ledger: SubmissionLedger) -> str:
    """``--reference-id`` names the file; a bad new one is a usage error before any work.

    An id the ledger already holds is a retry and is taken as it is: one recorded by an
    earlier version may break today's rule (``jan/batch``) and must still be retried
    under the name it was given then, or its submission stays pending for good."""
    from portwright.exceptions import SubmissionError
    from portwright.submission.reference import checked_reference_id

    if ledger.get(value) is not None:
        return value
    try:
        return checked_reference_id(value)
    except SubmissionError as exc:
        raise typer.BadParameter(exc.message.replace("; nothing was sent", "") +
                                 f" ({exc.hint})",
                                 param_hint="'--reference-id'") from None


def _validate_json(path: Path) -> int:
    """A claims file, a POST /claims body, or a list of bodies."""
    from portwright.x12.batch import load_claim_batch, load_claims, read_claims_json
    from portwright.x12.delimiters import Delimiters
    from portwright.x12.validate_claim import ClaimContext, validate_claims

    try:
        claims = load_claims(path)
        raw = read_claims_json(path)
        delimiters = (load_claim_batch(path).envelope.delimiters
                      if isinstance(raw, dict) and "claims" in raw else Delimiters())
        validate_claims(claims, ClaimContext(today=datetime.now(UTC).date(),
                                             delimiters=delimiters))
    except ClaimValidationError as exc:
        _report(exc)
        return 1
    stdout_console().print(f"{path}: OK ({len(claims)} claim(s) ready to build)",
                           markup=False)
    return 0


def _validate_x12(path: Path, use_pyx12: bool) -> int:
    from portwright.x12.validate837 import validate_837_text
    from portwright.x12.x12_text import read_x12_text

    text = read_x12_text(path)
    try:
        problems = validate_837_text(text)
    except X12Error as exc:
        stderr_console().print(f"{path}: not a readable X12 interchange: {exc}", markup=False)
        return 1
    for problem in problems:
        stderr_console().print(f"  - {problem}", markup=False)
    failed = bool(problems)
    if use_pyx12:
        from portwright.testing.x12_oracle import pyx12_check

        try:
            from pyx12.errors import EngineError
        except ImportError:
            stderr_console().print("--pyx12: pyx12 is not installed (it is a dev dependency: "
                                   "pip install pyx12)", markup=False)
            return 2
        try:
            verdict = pyx12_check(text)
        except EngineError as exc:  # no map for this implementation version
            stderr_console().print(f"--pyx12: pyx12 cannot check {path}: {exc} (it ships "
                                   "maps for some 5010 versions only; run without --pyx12)",
                                   markup=False)
            return 2
        for error in verdict.errors:
            stderr_console().print(f"  - pyx12: {error}", markup=False)
        stdout_console().print(f"pyx12: {'OK' if verdict.ok else 'Failure'}")
        failed = failed or not verdict.ok
    stdout_console().print(f"{path}: {'problems found' if failed else 'OK'}", markup=False)
    return 1 if failed else 0


def _is_json(path: Path) -> bool:
    """JSON starts with ``{`` or ``[`` once a byte order mark and blanks are skipped, in
    whichever encoding JSON may be saved in (a BOM sent a claims file to the X12 check,
    which called it "not a readable X12 interchange")."""
    head = path.read_bytes()[:4096]
    text = head.decode(json.detect_encoding(head), errors="replace")
    return text.lstrip("\ufeff \t\r\n").startswith(("{", "["))


@claims_app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="A claims JSON file or an 837P file.",
                                         exists=True, dir_okay=False)],
    pyx12: Annotated[bool, typer.Option(
        "--pyx12", help="Also run the pyx12 validator on an 837P (dev dependency).")] = False,
) -> None:
    """Check claims JSON against the billing rules, or an 837P file's structure and codes."""
    try:
        code = _validate_json(file) if _is_json(file) else _validate_x12(file, pyx12)
    except PortwrightError as exc:
        stderr_console().print(str(exc), markup=False)
        raise typer.Exit(1) from exc
    raise typer.Exit(code)


@claims_app.command("submit")
def submit(
    claims_file: Annotated[Path, typer.Argument(help="Claims JSON (submitter, claims).",
                                                exists=True, dir_okay=False)],
    reference_id: Annotated[str, typer.Option(
        "--reference-id",
        help="Idempotency key: a reference is submitted once; the same id again retries "
        "it. A new one names the file sent (letters, digits, '.', '_', '-').")],
    host: Annotated[str, typer.Option("--sftp-host", help="Clearinghouse SFTP host.")],
    username: Annotated[str, typer.Option("--sftp-user", help="SFTP user name.")],
    key: Annotated[Path, typer.Option("--key", help="Private key file for the SFTP user.",
                                      exists=True, dir_okay=False)],
    host_key: Annotated[str, typer.Option(
        "--host-key", help="The server's public host key line (pinned), "
        "e.g. 'ssh-ed25519 AAAA...'.")],
    remote_dir: Annotated[str, typer.Option("--remote-dir", help="The drop folder.")],
    port: Annotated[int, typer.Option("--sftp-port", min=1, max=65535,
                                      help="The SFTP server's port.")] = 22,
    state: Annotated[Path | None, typer.Option(
        help="State folder (ledger, control numbers; default: workspace state).")] = None,
) -> None:
    """Build the 837P and deliver it over SFTP, once per reference id (retries are safe)."""
    from portwright.settings import load_settings
    from portwright.submission import SftpChannel, SftpSettings, SubmissionLedger, submit_claims
    from portwright.x12.batch import load_claim_batch
    from portwright.x12.envelope import FileControlNumbers

    try:
        folder = state or load_settings().path("state")
        ledger = SubmissionLedger(folder / "submissions")
        _reference_id(reference_id, ledger)  # before the claims are read or a key is used
        batch = load_claim_batch(claims_file)
        channel = SftpChannel(SftpSettings(host=host, port=port, username=username,
                                           key_path=key, remote_dir=remote_dir,
                                           host_key=host_key))
        receipt = submit_claims(
            reference_id, batch.claims, batch.submitter, batch.envelope, channel, ledger,
            numbers=FileControlNumbers(folder / "x12-control-numbers.json"))
    except ClaimValidationError as exc:
        _report(exc)
        stderr_console().print("nothing was submitted")
        raise typer.Exit(1) from exc
    except PortwrightError as exc:
        stderr_console().print(str(exc), markup=False)
        raise typer.Exit(1) from exc
    entry = receipt.entry
    out = stdout_console()
    if receipt.duplicate:
        out.print(f"{reference_id}: already submitted ({entry.location}); nothing sent",
                  markup=False)
    else:
        out.print(f"{reference_id}: delivered {entry.size} bytes to {entry.location}",
                  markup=False)


@claims_app.command("status")
def status(
    reference_id: Annotated[str | None, typer.Option(
        "--reference-id", help="Show this reference only.")] = None,
    state: Annotated[Path | None, typer.Option(
        help="State folder holding the ledger (default: workspace state).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the entries as JSON.")
                       ] = False,
) -> None:
    """List the submissions in the ledger: delivered, or pending (retry with 'claims
    submit' and the same --reference-id and claims file).

    Every recorded id is listed as it was recorded, including ids of earlier versions
    that a new submission could no longer use (``jan/batch``). Exit 1 when
    ``--reference-id`` names no submission."""
    from portwright.settings import load_settings
    from portwright.submission import SubmissionLedger

    try:
        folder = state or load_settings().path("state")
        ledger = SubmissionLedger(folder / "submissions")
        entries = ledger.entries()
    except PortwrightError as exc:
        stderr_console().print(str(exc), markup=False)
        raise typer.Exit(1) from exc
    if reference_id is not None:
        entries = [e for e in entries if e.reference_id == reference_id]
        if not entries:
            stderr_console().print(f"{reference_id}: no submission with this reference id "
                                   f"in {ledger.directory}", markup=False)
            raise typer.Exit(1)
    out = stdout_console()
    if as_json:
        out.print(json.dumps([e.to_json_dict() for e in entries], indent=2), markup=False,
                  highlight=False, soft_wrap=True)
        return
    if not entries:
        out.print(f"no submissions recorded in {ledger.directory}", markup=False)
        return
    for e in sorted(entries, key=lambda e: e.created_at):
        where = e.location if e.status == "delivered" else f"not confirmed on {e.channel}"
        out.print(f"{e.reference_id}  {e.status}  {e.filename}  {e.size} bytes  "
                  f"{e.attempts} attempt(s)  {where}", markup=False, highlight=False,
                  soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(claims_app, name="claims")
