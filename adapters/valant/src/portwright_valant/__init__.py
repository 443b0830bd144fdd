"""portwright adapter for Valant, a behavioral-health EHR, with its sandbox portal."""

from __future__ import annotations

from portwright_valant.adapter import ValantAdapter

__all__ = ["ValantAdapter"]
