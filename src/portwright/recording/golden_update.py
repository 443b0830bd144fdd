"""Accept a replay's output as the new golden file (``portwright replay --update-golden``).

When a normalizer or an entity changes on purpose, every golden output that shows the
change differs, though the recorded traffic is as good as ever. Re-recording each
scenario against a live portal for that is slow and needs the portal; the replay already
computes the new output from the scrubbed traffic. So, as snapshot-testing tools do, the
replay's output may be written as the golden, and the differences are printed for the
author to review.

Only the output may change this way. A replay that needed requests the recording lacks
tested a different flow: that one must be re-recorded. A replay that failed (any error
but the portal's own validation error, which a scenario may record) wrote no output:
its error never becomes a golden. The new golden is audited (patterns
and the adapter's planted values) before it replaces the old, and ``meta.json``'s content
hash follows it, so ``recordings audit`` still vouches for the folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from portwright.exceptions import AuditFailed, PortalValidationError, ReplayMismatch
from portwright.recording.audit import audit_file, findings_at
from portwright.recording.golden import diff
from portwright.recording.hooks import hooks_for
from portwright.recording.layout import GOLDEN_NAME, file_sha256
from portwright.recording.miss_report import miss_template
from portwright.recording.replayer import ReplayOutcome

__all__ = ["update_golden"]


def update_golden(outcome: ReplayOutcome) -> list[str]:
    """Write ``outcome``'s output as its recording's golden file; the differences accepted
    (empty: it already matched and nothing was written)."""
    paths = outcome.paths
    if outcome.misses:
        raise ReplayMismatch(
            f"{paths.folder}: {len(outcome.misses)} request(s) not in the recording: "
            + "; ".join(miss_template(m) for m in outcome.misses[:5]),
            hint="the flow's traffic changed, not just its output: re-record it "
                 "(portwright record ... --record-mode all)")
    if outcome.error is not None and not isinstance(outcome.error, PortalValidationError):
        # only a portal's refusal is an outcome a scenario can record; any other error
        # (a step that found nothing, a timeout) means the replay did not get through
        raise ReplayMismatch(
            f"{paths.golden}: the replay failed ({type(outcome.error).__name__}: "
            f"{str(outcome.error).splitlines()[0]}); a failed replay's error is not "
            "accepted as the golden output, which was left as it was",
            hint="fix the flow or the recording until it replays; if the portal changed, "
                 "re-record (portwright record ... --record-mode all)")
    differences = list(diff(outcome.golden, outcome.actual, was="was"))
    if not differences:
        return []
    meta = paths.load_meta()
    hooks = hooks_for(meta.portal)
    text = json.dumps(outcome.actual, indent=2, ensure_ascii=False) + "\n"
    fd, staged_name = tempfile.mkstemp(prefix=".golden-", suffix=".json", dir=paths.folder)
    staged = Path(staged_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        findings = audit_file(staged, hooks.planted_values(), hooks.scrub_policy())
        if findings:
            shown = findings_at(findings, staged, paths.golden)
            raise AuditFailed(
                f"the replayed output holds {len(findings)} secret/PHI hit(s); the golden "
                f"file was left as it was:\n  {shown}",
                hint=f"extend the scrub policy of adapter '{meta.portal}' and re-record")
        os.replace(staged, paths.golden)
    finally:
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
    meta.content_hashes[GOLDEN_NAME] = file_sha256(paths.golden)
    meta.write(paths.meta)
    return differences
