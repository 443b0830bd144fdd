"""ICD-10-CM lookups through ``simple-icd-10-cm`` (the CMS code list shipped in its wheel).

A claim may only carry *billable* codes: the leaves of the classification (``F32.9``),
never a category (``F32``). Users type codes with or without the dot; X12 HI segments
carry them without it, so there is one normalizer for each direction.
"""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType

__all__ = [
    "icd10_children",
    "icd10_description",
    "icd10_for_x12",
    "is_billable_icd10",
    "is_valid_icd10",
    "normalize_icd10",
]


@lru_cache(maxsize=1)
def _library() -> ModuleType:
    """The code list, loaded on first use: parsing it takes seconds, and most commands
    (``portwright --version``, ``doctor``, flows that validate no codes) never need it."""
    import simple_icd_10_cm

    module: ModuleType = simple_icd_10_cm
    return module


def _clean(code: str) -> str:
    return code.strip().upper()


def is_valid_icd10(code: str) -> bool:
    """True for any item of the classification: chapter, block, category or code."""
    cleaned = _clean(code)
    return bool(cleaned) and bool(_library().is_valid_item(cleaned))


@lru_cache(maxsize=16384)  # a practice bills the same few dozen codes all day
def is_billable_icd10(code: str) -> bool:
    """True only for the most specific codes (leaves), the ones a claim may carry."""
    cleaned = _clean(code)
    if not cleaned or not _library().is_valid_item(cleaned):
        return False
    return bool(_library().is_leaf(cleaned))


def normalize_icd10(code: str) -> str:
    """The dotted, upper-case form (``f329`` → ``F32.9``); ValueError if it does not exist."""
    cleaned = _clean(code)
    if not cleaned or not _library().is_valid_item(cleaned):
        raise ValueError(f"{code!r} is not an ICD-10-CM code")
    if "." in cleaned or len(cleaned) <= 3:
        return cleaned
    return str(_library().add_dot(cleaned))


def icd10_for_x12(code: str) -> str:
    """The form an HI segment carries: no dot, upper case (``F32.9`` → ``F329``)."""
    return _clean(code).replace(".", "")


def icd10_description(code: str) -> str:
    """The CMS description; ValueError if the code does not exist."""
    cleaned = _clean(code)
    if not cleaned or not _library().is_valid_item(cleaned):
        raise ValueError(f"{code!r} is not an ICD-10-CM code")
    return str(_library().get_description(cleaned))


def icd10_children(code: str) -> list[str]:
    """The more specific codes directly under ``code`` (empty for a leaf or unknown code)."""
    cleaned = _clean(code)
    if not cleaned or not _library().is_valid_item(cleaned):
        return []
    return [str(c) for c in _library().get_children(cleaned)]
