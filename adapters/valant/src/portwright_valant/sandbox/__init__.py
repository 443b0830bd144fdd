"""The Valant sandbox: a local imitation of the Valant portal for development, demos and tests.

It is a FastAPI application with SQLite persistence whose pages, forms and internal JSON
endpoints behave like the portal an integration engineer drives. ``create_app(config)``
builds it; ``server.SandboxServer`` runs it on a free loopback port.
"""

from __future__ import annotations

from portwright_valant.sandbox.config import SandboxConfig

__all__ = ["SandboxConfig"]
