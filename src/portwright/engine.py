"""The public Python API for running flows.

    from portwright import Engine

    async with Engine(settings=load_settings(), portal_urls={"valant": url}) as engine:
        result = await engine.run("valant.patients.list", {"updated_after": "2026-01-01"})
        result.outputs["Patient"], result.portal_version, result.resolutions

See :class:`portwright.runner.engine.Engine` for the options.
"""

from __future__ import annotations

from portwright.runner.engine import Engine, TraceMode
from portwright.runner.result import RunResult
from portwright.runner.session import ContextFactory, SessionKey
from portwright.templating import EnvSecretResolver, SecretResolver

__all__ = [
    "ContextFactory",
    "Engine",
    "EnvSecretResolver",
    "RunResult",
    "SecretResolver",
    "SessionKey",
    "TraceMode",
]
