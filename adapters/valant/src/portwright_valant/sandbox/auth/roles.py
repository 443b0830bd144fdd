"""The portal's roles and what each may open.

``admin`` may open every page (as in the real portal, where practice administrators
see everything); the other roles see only the pages a route declares for them with
``require_role``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ROLES", "Role", "role_allows"]


class Role(StrEnum):
    ADMIN = "admin"
    SCHEDULER = "scheduler"
    CLINICIAN = "clinician"
    BILLER = "biller"


ROLES: tuple[str, ...] = tuple(r.value for r in Role)


def role_allows(role: str, allowed: frozenset[str]) -> bool:
    """Whether a user with ``role`` may open a page meant for ``allowed`` roles."""
    return role == Role.ADMIN or role in allowed
