"""The portal's pages, one router module per page family, registered in ``ROUTER_MODULES``.

Adding a page family means adding a module with a ``router`` and one line here.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter

__all__ = ["ROUTER_MODULES", "routers"]

ROUTER_MODULES: tuple[str, ...] = (
    "dashboard",
    "patients",
    "chart",
    "documents",
    "providers",
    "locations",
    "schedule",
    "appointments",
    "assessments",
    "encounters",
    "claims",
    "remittances",
    "tasks",
)


def routers() -> list[APIRouter]:
    """Every page family's router, in registration order."""
    found = []
    for name in ROUTER_MODULES:
        module = importlib.import_module(f"portwright_valant.sandbox.pages.{name}")
        found.append(module.router)
    return found
