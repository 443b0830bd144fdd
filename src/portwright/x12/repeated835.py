"""Remittances that appear twice: one payment must be booked once.

A payer's trace number (TRN02: the check or EFT number) names one payment. The same 835
downloaded twice and concatenated, or an interchange re-sent inside one file, repeats it;
counting it twice reports more paid than was billed, and a script would post it twice.
So two remittances from the same payer with the same trace number are a repeat: counted
once when they are identical, and flagged for a person when they differ (one payment
cannot have two different remittances).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from portwright.entities.remittance import Remittance

__all__ = ["RepeatedRemittance", "repeated_remittances"]

#: What a remittance says, apart from what this library found wrong with it.
_OUR_FINDINGS = {"balance_problems", "format_problems"}


@dataclass(frozen=True)
class RepeatedRemittance:
    """``index`` repeats ``first`` (0-based positions in the list given)."""

    index: int
    first: int
    trace_number: str
    payer: str
    identical: bool

    def __str__(self) -> str:
        where = (f"remittance {self.index + 1} repeats remittance {self.first + 1} "
                 f"(payer {self.payer}, trace number {self.trace_number or '(none)'})")
        if self.identical:
            return f"{where}: the same payment, counted once"
        return (f"{where} with different content: one payment cannot have two "
                "remittances; check with the payer before posting either")


def _payer(r: Remittance) -> str:
    return r.payer.identifier or r.payer.name


def repeated_remittances(remittances: Sequence[Remittance]) -> list[RepeatedRemittance]:
    """Every remittance whose payer and trace number an earlier one already had.

    Without a trace number only an identical remittance counts as a repeat."""
    seen: dict[tuple[str, str], int] = {}
    contents: dict[int, dict[str, object]] = {}
    out: list[RepeatedRemittance] = []
    for i, r in enumerate(remittances):
        contents[i] = r.model_dump(exclude=_OUR_FINDINGS)
        key = (_payer(r), r.trace_number) if r.trace_number else ("", repr(contents[i]))
        if key in seen:
            first = seen[key]
            out.append(RepeatedRemittance(i, first, r.trace_number, _payer(r),
                                          identical=contents[i] == contents[first]))
        else:
            seen[key] = i
    return out
