"""The flags a scored assessment result can carry, as one vocabulary.

Flags are how scoring says "look here" without hiding data: a total that disagrees with
the items, a safety item that needs a same-day follow-up, a total that could not be
computed. Consumers match on these strings, so they never change meaning.
"""

from __future__ import annotations

__all__ = [
    "IMMEDIATE_EVALUATION",
    "IMPOSSIBLE_TOTAL",
    "INCOMPLETE",
    "ITEM9_POSITIVE",
    "OUT_OF_RANGE_ANSWER",
    "POSITIVE_SCREEN",
    "PRORATED",
    "PROVISIONAL_PTSD",
    "SAFETY_FOLLOWUP",
    "SAFETY_ITEM_UNANSWERED",
    "SEX_UNKNOWN",
    "SKIP_LOGIC_VIOLATION",
    "SUICIDE_ITEM_POSITIVE",
    "TOTAL_MISMATCH",
    "TOTAL_UNVERIFIED",
    "UNKNOWN_QUESTION",
    "UNSCORED_INSTRUMENT",
]

#: The portal's total differs from the total of the item answers.
TOTAL_MISMATCH = "total_mismatch"
#: No item answers were available; the total is the portal's, unchecked.
TOTAL_UNVERIFIED = "total_unverified"
#: The portal's total is outside what the instrument's items can sum to (or the
#: instrument has no total); it is kept in reportedScoreTotal only.
IMPOSSIBLE_TOTAL = "impossible_total"
#: 1-2 items were missing and the total was prorated (APA PHQ-9/PHQ-A rule).
PRORATED = "prorated"
#: Too many items are missing for a total (no total, no severity).
INCOMPLETE = "incomplete"
#: An answer is outside the item's scale or of the wrong kind; no total is computed.
OUT_OF_RANGE_ANSWER = "out_of_range_answer"
#: An answer names a question the instrument does not have.
UNKNOWN_QUESTION = "unknown_question"
#: A safety rule fired: a clinician must follow up the same day, whatever the total.
SAFETY_FOLLOWUP = "safety_followup"
#: The safety item (PHQ-9/PHQ-A item 9) has no valid answer: risk is unknown, not zero.
SAFETY_ITEM_UNANSWERED = "safety_item_unanswered"
#: PHQ-9/PHQ-A item 9 scored 1 or more.
ITEM9_POSITIVE = "item9_positive"
#: A PHQ-A extra suicide question was answered yes.
SUICIDE_ITEM_POSITIVE = "suicide_item_positive"
#: C-SSRS high risk: immediate evaluation and safety precautions.
IMMEDIATE_EVALUATION = "immediate_evaluation"
#: A screening instrument's cut point was reached (PHQ-2, GAD-2, AUDIT-C, PCL-5).
POSITIVE_SCREEN = "positive_screen"
#: PCL-5 answers meet the provisional DSM-5 PTSD pattern (B≥1, C≥1, D≥2, E≥2 at ≥2).
PROVISIONAL_PTSD = "provisional_ptsd"
#: AUDIT-C scored without knowing the patient's sex: the lower (women's) cut point used.
SEX_UNKNOWN = "sex_unknown"
#: C-SSRS answers that the skip logic rules out: 3-5 after a "no" to 2, or "within the past
#: 3 months" after a "no" to 6 (they are still used, the more dangerous reading believed).
SKIP_LOGIC_VIOLATION = "skip_logic_violation"
#: portwright has no scoring rules for this instrument; the portal's figures are kept.
UNSCORED_INSTRUMENT = "unscored_instrument"
