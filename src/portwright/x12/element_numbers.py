"""Numbers as the 837P writes them into its elements.

One definition for the assembler (``loops837``) and the claim rules (``validate_claim``):
whether an amount or a quantity fits its element is decided on the very text that would
be written, not on a second rendering that could drift from it.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["amount", "quantity"]


def amount(value: Decimal) -> str:
    """X12 decimal with two places (``120`` → ``120.00``)."""
    return f"{value:.2f}"


def quantity(value: Decimal) -> str:
    """Units without needless zeros (``1.00`` → ``1``, ``1.5`` → ``1.5``)."""
    return format(value.normalize(), "f")
