"""Submitter settings checked once: ``check_submitter`` and the ``CheckedSubmitter`` it makes.

The submitter's names must fit their 837P elements (loops 1000A/1000B). A claims file's
submitter is checked when the file is read (``load_claim_batch``), so ``claims validate``
finds a name too long before ``claims build`` takes a control number; the build then
must not check it again. As with the envelope (``CheckedEnvelope``), the check returns a
type of its own, the loop writer (``loops837.header``) takes only that type (mypy
enforces it), and a build handed one uses it as it is.
"""

from __future__ import annotations

from pydantic import ConfigDict, model_validator

from portwright.entities.claim import Submitter
from portwright.exceptions import FieldProblem, X12Error
from portwright.x12.validate_claim import submitter_problems

__all__ = ["CheckedSubmitter", "check_submitter"]


class CheckedSubmitter(Submitter):
    """Submitter settings ``check_submitter`` found writable as they are.

    Made by ``check_submitter`` only, and frozen, so it cannot be changed into settings
    that were never checked. It has the fields of ``Submitter`` and no others, so it is
    recorded (e.g. in the submission ledger's settings digest) exactly as the settings
    it was made from."""

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="after")
    def _writable(self) -> CheckedSubmitter:
        """Made directly rather than by ``check_submitter`` (which checks first and
        builds without validation, so the check runs once), it checks itself: no
        ``CheckedSubmitter`` holds a name that does not fit its element."""
        problems = submitter_problems(self)
        if problems:
            raise X12Error("submitter settings cannot be written: "
                           + "; ".join(str(p) for p in problems) + "; nothing was written")
        return self


def check_submitter(submitter: Submitter) -> CheckedSubmitter | list[FieldProblem]:
    """``submitter`` as a ``CheckedSubmitter`` when every name fits its element, else
    every one that does not (fields ``submitter.name`` …). A ``CheckedSubmitter`` is
    returned as it is: it was checked when it was made."""
    if isinstance(submitter, CheckedSubmitter):
        return submitter
    problems = submitter_problems(submitter)
    if problems:
        return problems
    return CheckedSubmitter.model_construct(_fields_set=submitter.model_fields_set,
                                            **dict(submitter))
