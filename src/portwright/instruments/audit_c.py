"""AUDIT-C (Bush et al. 1998; Bradley et al. 2003/2007): alcohol-use screen.

Three items (AUDIT Q1-Q3) scored 0-4, total 0-12. Positive screen: men ≥ 4, women ≥ 3.
When the patient's sex is not known as male or female, the lower cut point (3) is used
so nobody at risk is screened out, and the result says so (``sex_unknown``). A missing
item means no total (the reference defines no skip or prorating rule for the AUDIT-C).
"""

from __future__ import annotations

from portwright.instruments import flags
from portwright.instruments.base import Answers, Score, ScoringOptions
from portwright.instruments.items import Scale

__all__ = ["AUDITC", "AuditC", "audit_c_cutoff"]

_CUTOFFS = {"male": 4, "female": 3}
_LOWER_CUTOFF = min(_CUTOFFS.values())


def audit_c_cutoff(sex: str | None) -> int:
    """The positive-screen cut point for ``sex`` (4 men, 3 women, 3 when unknown)."""
    return _CUTOFFS.get((sex or "").lower(), _LOWER_CUTOFF)


class AuditC:
    """The AUDIT-C."""

    name: str = "AUDIT-C"
    aliases: tuple[str, ...] = ("AUDITC", "AUDIT C")
    scale = Scale("auditc", items=3, item_max=4)
    severities: tuple[str, ...] = ("negative", "positive")

    @property
    def question_ids(self) -> tuple[str, ...]:
        return self.scale.question_ids

    @property
    def max_total(self) -> int | None:
        return self.scale.max_total

    def severity_for_total(self, total: int, options: ScoringOptions) -> str | None:
        return "positive" if total >= audit_c_cutoff(options.sex) else "negative"

    def score(self, answers: Answers, options: ScoringOptions) -> Score:
        total = self.scale.total(answers)
        found = list(total.flags)
        if (options.sex or "").lower() not in _CUTOFFS:
            found.append(flags.SEX_UNKNOWN)
        if total.value is None:
            return Score(None, None, tuple(found))
        severity = self.severity_for_total(total.value, options)
        if severity == "positive":
            found.append(flags.POSITIVE_SCREEN)
        return Score(total.value, severity, tuple(found))


AUDITC = AuditC()
