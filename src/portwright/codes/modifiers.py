"""Procedure modifiers (SV101-3..6) a behavioral-health practice bills, telehealth first.

Payers differ on whether a telehealth visit wants the modifier, the POS (02/10) or both,
so this module only says what each modifier means; the per-payer choice is data the
caller holds. Unknown modifiers are rejected because a typo (``59`` vs ``95``) silently
changes what is billed.
"""

from __future__ import annotations

import re
from types import MappingProxyType

__all__ = [
    "MODIFIERS",
    "TELEHEALTH_MODIFIERS",
    "is_telehealth_modifier",
    "is_valid_modifier",
    "modifier_description",
    "modifier_problems",
]

_FORMAT = re.compile(r"^[A-Z0-9]{2}$")

#: Telehealth modifiers (codes.md §2).
TELEHEALTH_MODIFIERS: MappingProxyType[str, str] = MappingProxyType({
    "95": "Synchronous telemedicine via real-time interactive audio and video",
    "93": "Synchronous telemedicine via telephone or other real-time audio-only system",
    "GT": "Via interactive audio and video telecommunication systems (legacy)",
    "FQ": "Service furnished using audio-only communication technology",
    "GQ": "Via asynchronous telecommunications system",
})

_OTHER: dict[str, str] = {
    "22": "Increased procedural services",
    "25": "Significant, separately identifiable E/M service on the same day",
    "52": "Reduced services",
    "53": "Discontinued procedure",
    "59": "Distinct procedural service",
    "76": "Repeat procedure by same physician",
    "77": "Repeat procedure by another physician",
    "91": "Repeat clinical diagnostic laboratory test",
    "AF": "Specialty physician",
    "AH": "Clinical psychologist",
    "AJ": "Clinical social worker",
    "GA": "Waiver of liability statement issued as required by payer policy",
    "GC": "Performed in part by a resident under the direction of a teaching physician",
    "GY": "Item or service statutorily excluded",
    "GZ": "Item or service expected to be denied as not reasonable and necessary",
    "HA": "Child/adolescent program",
    "HB": "Adult program, non-geriatric",
    "HC": "Adult program, geriatric",
    "HD": "Pregnant/parenting women's program",
    "HE": "Mental health program",
    "HF": "Substance abuse program",
    "HG": "Opioid addiction treatment program",
    "HH": "Integrated mental health/substance abuse program",
    "HI": "Integrated mental health and intellectual disability program",
    "HJ": "Employee assistance program",
    "HK": "Specialized mental health programs for high-risk populations",
    "HM": "Less than bachelor degree level",
    "HN": "Bachelors degree level",
    "HO": "Masters degree level",
    "HP": "Doctoral level",
    "HQ": "Group setting",
    "HR": "Family/couple with client present",
    "HS": "Family/couple without client present",
    "HT": "Multi-disciplinary team",
    "HU": "Funded by child welfare agency",
    "HV": "Funded by state addictions agency",
    "HW": "Funded by state mental health agency",
    "HX": "Funded by county/local agency",
    "HY": "Funded by juvenile justice agency",
    "HZ": "Funded by criminal justice agency",
    "KX": "Requirements specified in the medical policy have been met",
    "SA": "Nurse practitioner rendering service in collaboration with a physician",
    "TG": "Complex/high tech level of care",
    "TH": "Obstetrical treatment/services, prenatal or postpartum",
    "TJ": "Program group, child and/or adolescent",
    "U1": "Medicaid level of care 1, as defined by each state",
    "U2": "Medicaid level of care 2, as defined by each state",
    "U3": "Medicaid level of care 3, as defined by each state",
    "U4": "Medicaid level of care 4, as defined by each state",
    "U5": "Medicaid level of care 5, as defined by each state",
    "U6": "Medicaid level of care 6, as defined by each state",
    "U7": "Medicaid level of care 7, as defined by each state",
    "U8": "Medicaid level of care 8, as defined by each state",
    "U9": "Medicaid level of care 9, as defined by each state",
    "XE": "Separate encounter",
    "XP": "Separate practitioner",
    "XS": "Separate structure/organ",
    "XU": "Unusual non-overlapping service",
}

#: Every modifier this module accepts, with its meaning.
MODIFIERS: MappingProxyType[str, str] = MappingProxyType({**TELEHEALTH_MODIFIERS, **_OTHER})

#: Pairs that contradict each other on one line (video and audio-only at once).
_CONFLICTS: tuple[frozenset[str], ...] = (
    frozenset({"95", "93"}),
    frozenset({"GT", "93"}),
    frozenset({"95", "FQ"}),
    frozenset({"GT", "FQ"}),
)


def is_valid_modifier(code: str) -> bool:
    """True for a known two-character modifier."""
    return bool(_FORMAT.match(code)) and code in MODIFIERS


def is_telehealth_modifier(code: str) -> bool:
    """True for 95, 93, GT, FQ and GQ."""
    return code in TELEHEALTH_MODIFIERS


def modifier_description(code: str) -> str:
    """What a modifier means; KeyError for an unknown one."""
    return MODIFIERS[code]


def modifier_problems(modifiers: list[str] | tuple[str, ...]) -> list[str]:
    """Problems with one service line's modifiers (SV101-3..6): count, unknown, repeated,
    contradictory. Empty when the list is fine."""
    if not modifiers:
        return []
    problems: list[str] = []
    if len(modifiers) > 4:
        problems.append(f"at most 4 modifiers fit in SV101, got {len(modifiers)}")
    for code in modifiers:
        if not is_valid_modifier(code):
            problems.append(f"unknown modifier {code!r}")
    if len(set(modifiers)) != len(modifiers):
        problems.append("a modifier is repeated")
    present = set(modifiers)
    for pair in _CONFLICTS:
        if pair <= present:
            a, b = sorted(pair)
            problems.append(f"modifiers {a} and {b} contradict each other (video vs audio-only)")
    return problems
