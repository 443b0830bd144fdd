"""C-SSRS screener (Columbia Suicide Severity Rating Scale, screen version; Posner et al.).

Six yes/no questions; ideation over the past month: (1) wish to be dead, (2) non-specific
active suicidal thoughts, (3) thoughts with a method, no intent, (4) intent without a
specific plan, (5) intent with a plan; (6) suicidal behavior in the lifetime, with a
follow-up "within the past 3 months?". If question 2 is "no", questions 3-5 are skipped.

There is no total. Triage follows the highest item endorsed:
- high: yes to 4 or 5, or behavior within the past 3 months → immediate evaluation;
- moderate: yes to 3, or behavior more than 3 months ago;
- low: yes to 1 or 2 only;
- none: every asked question answered "no".

Choices the reference leaves open, made on the side of safety: any "yes" raises
``safety_followup`` (as any PHQ-9 item-9 answer ≥ 1 does); answers to 3-5 given despite
a "no" to 2 are still used (and flagged); a "yes" to "within the past 3 months?" is
recent behavior, hence high, even when question 6 is unanswered or "no" (a "no" to 6
followed by its follow-up's "yes" breaks the skip logic and is flagged, as for 3-5: of
two contradicting answers, the more dangerous one is believed); when a question that
decides the level is unanswered the level is not guessed (``severity`` null,
``incomplete``) unless a "high" answer already settles it.
"""

from __future__ import annotations

from portwright.entities.assessment import AnswerValue
from portwright.instruments import flags
from portwright.instruments.base import Answers, Score, ScoringOptions
from portwright.instruments.items import as_yes_no

__all__ = ["CSSRS", "CSSRS_QUESTIONS", "Cssrs"]

CSSRS_QUESTIONS: tuple[str, ...] = (
    "cssrs_q1", "cssrs_q2", "cssrs_q3", "cssrs_q4", "cssrs_q5", "cssrs_q6",
    "cssrs_q6_past_3_months",
)


def _yes_no(answers: Answers, question: str, found: list[str]) -> bool | None:
    value: AnswerValue = answers.get(question)
    try:
        return as_yes_no(value)
    except ValueError:
        found.append(flags.OUT_OF_RANGE_ANSWER)
        return None


class Cssrs:
    """The C-SSRS screener."""

    name: str = "C-SSRS"
    aliases: tuple[str, ...] = (
        "CSSRS", "C-SSRS Screener", "Columbia Suicide Severity Rating Scale"
    )
    severities: tuple[str, ...] = ("none", "low", "moderate", "high")
    question_ids: tuple[str, ...] = CSSRS_QUESTIONS

    @property
    def max_total(self) -> int | None:
        return None  # a triage, not a sum

    def severity_for_total(self, total: int, options: ScoringOptions) -> str | None:
        return None  # triage needs the items; a number says nothing

    def score(self, answers: Answers, options: ScoringOptions) -> Score:
        found: list[str] = []
        if any(q not in CSSRS_QUESTIONS for q in answers):
            found.append(flags.UNKNOWN_QUESTION)
        yes = {q: _yes_no(answers, q, found) for q in CSSRS_QUESTIONS}
        q1, q2, q3, q4, q5, q6, recent = (yes[q] for q in CSSRS_QUESTIONS)
        if q2 is False and True in (q3, q4, q5):
            found.append(flags.SKIP_LOGIC_VIOLATION)
        if q6 is False and recent:  # the follow-up is only asked after a "yes" to 6
            found.append(flags.SKIP_LOGIC_VIOLATION)
        if True in yes.values():
            found.append(flags.SAFETY_FOLLOWUP)

        # A "yes" to the follow-up is a report of recent behavior whatever q6 says.
        if q4 or q5 or recent:
            found.append(flags.IMMEDIATE_EVALUATION)
            return Score(None, "high", tuple(dict.fromkeys(found)))

        required = [q1, q2, q6]
        if q2 is not False:  # 3-5 are asked unless question 2 was "no"
            required += [q3, q4, q5]
        if q6:
            required.append(recent)
        if None in required:
            found.append(flags.INCOMPLETE)
            return Score(None, None, tuple(dict.fromkeys(found)))

        if q3 or q6:  # q6 here means behavior more than 3 months ago
            severity = "moderate"
        elif q1 or q2:
            severity = "low"
        else:
            severity = "none"
        return Score(None, severity, tuple(dict.fromkeys(found)))


CSSRS = Cssrs()
