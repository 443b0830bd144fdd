"""Billing code sets and check rules (NPI, ICD-10-CM, CPT, place of service, modifiers).

Each code family lives in its own module so entity validation, the 837P validator and the
REST layer all ask the same question the same way. Everything here is offline: the
ICD-10-CM list ships inside the ``simple-icd-10-cm`` wheel, the rest are small tables from
``shared/reference/codes.md``.
"""

from __future__ import annotations

from portwright.codes.cpt import (
    BEHAVIORAL_HEALTH_CPT,
    CptInfo,
    code_combination_problems,
    cpt_info,
    is_valid_cpt,
    psychotherapy_code_for_minutes,
)
from portwright.codes.icd10 import (
    billable_icd10_examples,
    icd10_children,
    icd10_description,
    icd10_for_x12,
    icd10_level,
    is_billable_icd10,
    is_valid_icd10,
    normalize_icd10,
)
from portwright.codes.modifiers import (
    MODIFIERS,
    TELEHEALTH_MODIFIERS,
    is_telehealth_modifier,
    is_valid_modifier,
    modifier_description,
    modifier_problems,
)
from portwright.codes.npi import is_valid_npi, npi_check_digit
from portwright.codes.pos import PLACE_OF_SERVICE, TELEHEALTH_POS, is_valid_pos, pos_name

__all__ = [
    "BEHAVIORAL_HEALTH_CPT",
    "MODIFIERS",
    "PLACE_OF_SERVICE",
    "TELEHEALTH_MODIFIERS",
    "TELEHEALTH_POS",
    "CptInfo",
    "billable_icd10_examples",
    "code_combination_problems",
    "cpt_info",
    "icd10_children",
    "icd10_description",
    "icd10_for_x12",
    "icd10_level",
    "is_billable_icd10",
    "is_telehealth_modifier",
    "is_valid_cpt",
    "is_valid_icd10",
    "is_valid_modifier",
    "is_valid_npi",
    "is_valid_pos",
    "modifier_description",
    "modifier_problems",
    "normalize_icd10",
    "npi_check_digit",
    "pos_name",
    "psychotherapy_code_for_minutes",
]
