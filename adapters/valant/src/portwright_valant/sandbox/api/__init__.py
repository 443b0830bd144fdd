"""Internal JSON endpoints the 2026.1 client uses (``/api/v2/...``), one module each."""

from __future__ import annotations

from fastapi import APIRouter

from portwright_valant.sandbox.api import patients

__all__ = ["api_routers"]


def api_routers() -> list[APIRouter]:
    return [patients.router]
