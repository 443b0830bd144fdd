"""CPT / HCPCS procedure codes: format checks and the behavioral-health table.

The table carries what billing rules need: the nominal time and the minute range in which
a timed psychotherapy code is reportable, and which codes are add-ons that must travel
with a primary code on the same claim and date (codes.md §3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "BEHAVIORAL_HEALTH_CPT",
    "CptInfo",
    "code_combination_problems",
    "cpt_info",
    "is_valid_cpt",
    "psychotherapy_code_for_minutes",
]

# CPT Category I (5 digits), Category II (4 digits + F), Category III (4 digits + T),
# HCPCS Level II (a letter + 4 digits). [0-9], not \d, which also matches full-width
# and other scripts' digits.
_FORMAT = re.compile(r"^([0-9]{5}|[0-9]{4}[FT]|[A-V][0-9]{4})$")


@dataclass(frozen=True)
class CptInfo:
    """One procedure code's billing facts.

    ``min_minutes``/``max_minutes`` bound the face-to-face time at which the code is
    reportable (``None`` = untimed or no upper bound). ``requires_any`` lists the primary
    codes an add-on needs on the same claim and date of service.
    """

    code: str
    descriptor: str
    nominal_minutes: int | None = None
    min_minutes: int | None = None
    max_minutes: int | None = None
    add_on: bool = False
    requires_any: frozenset[str] = frozenset()
    category: str = "other"


_EM_ESTABLISHED = frozenset({"99212", "99213", "99214", "99215"})
_EM_NEW = frozenset({"99202", "99203", "99204", "99205"})
_EM = _EM_ESTABLISHED | _EM_NEW
_PSYCHOTHERAPY_ALONE = frozenset({"90832", "90834", "90837"})
_PSYCHOTHERAPY_ADD_ON = frozenset({"90833", "90836", "90838"})
_INTERACTIVE_PRIMARIES = frozenset(
    {"90791", "90792", "90853"} | _PSYCHOTHERAPY_ALONE | _PSYCHOTHERAPY_ADD_ON
)


def _entries() -> dict[str, CptInfo]:
    rows = [
        CptInfo("90791", "Psychiatric diagnostic evaluation (no medical services)",
                category="evaluation"),
        CptInfo("90792", "Psychiatric diagnostic evaluation with medical services",
                category="evaluation"),
        CptInfo("90832", "Psychotherapy, 30 min", 30, 16, 37, category="psychotherapy"),
        CptInfo("90834", "Psychotherapy, 45 min", 45, 38, 52, category="psychotherapy"),
        CptInfo("90837", "Psychotherapy, 60 min", 60, 53, None, category="psychotherapy"),
        CptInfo("90833", "Psychotherapy 30 min with E/M (add-on)", 30, 16, 37, True, _EM,
                "psychotherapy"),
        CptInfo("90836", "Psychotherapy 45 min with E/M (add-on)", 45, 38, 52, True, _EM,
                "psychotherapy"),
        CptInfo("90838", "Psychotherapy 60 min with E/M (add-on)", 60, 53, None, True, _EM,
                "psychotherapy"),
        CptInfo("90839", "Psychotherapy for crisis, first 60 min", 60, 30, 74,
                category="crisis"),
        CptInfo("90840", "Psychotherapy for crisis, each additional 30 min (add-on)", 30,
                None, None, True, frozenset({"90839"}), "crisis"),
        CptInfo("90846", "Family psychotherapy without patient, 50 min", 50, 26, None,
                category="family"),
        CptInfo("90847", "Family psychotherapy with patient (conjoint), 50 min", 50, 26, None,
                category="family"),
        CptInfo("90853", "Group psychotherapy (other than multiple-family group)",
                category="group"),
        CptInfo("90785", "Interactive complexity (add-on)", None, None, None, True,
                _INTERACTIVE_PRIMARIES, "add-on"),
    ]
    for code, minutes in zip(sorted(_EM_ESTABLISHED), (10, 20, 30, 40), strict=True):
        rows.append(CptInfo(code, f"Established patient office E/M (≥ {minutes} min)",
                            None, minutes, None, category="e/m"))
    for code, minutes in zip(sorted(_EM_NEW), (15, 30, 45, 60), strict=True):
        rows.append(CptInfo(code, f"New patient office E/M (≥ {minutes} min)",
                            None, minutes, None, category="e/m"))
    return {row.code: row for row in rows}


#: The behavioral-health codes portwright knows the rules of.
BEHAVIORAL_HEALTH_CPT: MappingProxyType[str, CptInfo] = MappingProxyType(_entries())


@lru_cache(maxsize=4096)
def is_valid_cpt(code: str) -> bool:
    """True for a well-formed CPT (Category I/II/III) or HCPCS Level II code."""
    return bool(_FORMAT.match(code))


def cpt_info(code: str) -> CptInfo | None:
    """The billing facts for a behavioral-health code, ``None`` for codes outside the table."""
    return BEHAVIORAL_HEALTH_CPT.get(code)


def psychotherapy_code_for_minutes(minutes: int, *, with_em: bool = False) -> str | None:
    """The psychotherapy code a session of ``minutes`` supports, ``None`` under 16 minutes.

    With an E/M on the same visit the add-on family (90833/90836/90838) applies.
    """
    family = ("90833", "90836", "90838") if with_em else ("90832", "90834", "90837")
    for code in family:
        info = BEHAVIORAL_HEALTH_CPT[code]
        low = info.min_minutes or 0
        high = info.max_minutes
        if minutes >= low and (high is None or minutes <= high):
            return code
    return None


def code_combination_problems(codes: Iterable[str]) -> list[str]:
    """Pairing-rule problems for the codes billed on one claim for one date of service."""
    present = list(codes)
    if len(present) == 1:
        info = BEHAVIORAL_HEALTH_CPT.get(present[0])
        if info is None or not info.add_on:
            return []  # a lone primary code pairs with nothing
    found = set(present)
    problems: list[str] = []
    for code in present:
        info = BEHAVIORAL_HEALTH_CPT.get(code)
        if info is not None and info.add_on and not (info.requires_any & found):
            needs = ", ".join(sorted(info.requires_any))
            problems.append(f"add-on {code} is billed without its primary code ({needs})")
    alone = found & _PSYCHOTHERAPY_ALONE
    if alone and found & _EM:
        problems.append(
            f"{', '.join(sorted(alone))} may not be billed with an E/M code for the same "
            "session; use the add-on codes 90833/90836/90838"
        )
    psychotherapy = [c for c in present if c in _PSYCHOTHERAPY_ALONE | _PSYCHOTHERAPY_ADD_ON]
    if len(psychotherapy) > 1:
        problems.append(
            "only one psychotherapy code per session: " + ", ".join(psychotherapy)
        )
    if present.count("90839") > 1:
        problems.append("90839 is billed at most once per day")
    return problems
