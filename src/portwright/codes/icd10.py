"""ICD-10-CM lookups through ``simple-icd-10-cm`` (the CMS code list shipped in its wheel).

A claim may only carry *billable* codes: the leaves of the classification (``F32.9``),
never a category (``F32``). Users type codes with or without the dot; X12 HI segments
carry them without it, so there is one normalizer for each direction.
"""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType

__all__ = [
    "billable_icd10_examples",
    "icd10_children",
    "icd10_description",
    "icd10_for_x12",
    "icd10_level",
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


def icd10_level(code: str) -> str:
    """What kind of item ``code`` is: ``chapter`` (``5``), ``block`` (``F30-F39``),
    ``category`` (``F32``, and subcategories such as ``F43.1``) or ``code`` (a billable
    leaf); ValueError if it does not exist. Lets a message say what was typed instead of
    calling a chapter number a category."""
    cleaned = _clean(code)
    if not cleaned or not _library().is_valid_item(cleaned):
        raise ValueError(f"{code!r} is not an ICD-10-CM code")
    if _library().is_chapter(cleaned):
        return "chapter"
    if _library().is_block(cleaned):
        return "block"
    return "code" if _library().is_leaf(cleaned) else "category"


def _first_leaf(code: str) -> str:
    while not _library().is_leaf(code):
        code = str(_library().get_children(code)[0])
    return code


def billable_icd10_examples(code: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` billable codes under ``code``, for "use a more specific code such
    as ..." messages (empty for a leaf or an unknown code).

    Only leaves are offered: the direct children of ``F10`` (``F10.1``, ``F10.2``...) are
    themselves refused, so suggesting them sends the user round in circles. The first
    leaf under each child comes first (``F10.10``, ``F10.20``, ``F10.90``: one per kind
    of disorder rather than three variants of the first), then further leaves in list
    order if there are fewer children than ``limit``.
    """
    cleaned = _clean(code)
    if not cleaned or not _library().is_valid_item(cleaned) or _library().is_leaf(cleaned):
        return []
    children = [str(c) for c in _library().get_children(cleaned)]
    examples = list(dict.fromkeys(_first_leaf(child) for child in children[:limit]))
    if len(examples) < limit:
        for item in _library().get_descendants(cleaned):
            leaf = str(item)
            if leaf not in examples and _library().is_leaf(leaf):
                examples.append(leaf)
                if len(examples) == limit:
                    break
    return [normalize_icd10(leaf) for leaf in examples]
