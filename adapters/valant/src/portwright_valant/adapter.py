"""The Valant adapter's declaration: name, normalizers, step kinds, sandbox and demo tour."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from portwright.adapter import Adapter, Normalizer, SandboxOptions, SandboxRunner
from portwright.flow.steps.base import StepKind
from portwright.settings import Settings
from portwright_valant.normalizers import NORMALIZERS
from portwright_valant.steps import STEP_KINDS

if TYPE_CHECKING:
    from rich.console import Console


class ValantAdapter(Adapter):
    """Valant: scheduling, notes, outcome measures, insurance, 837P claims and 835 ERAs."""

    name: ClassVar[str] = "valant"
    display_name: ClassVar[str] = "Valant"
    normalizers: ClassVar[Mapping[str, Normalizer]] = NORMALIZERS
    step_kinds: ClassVar[tuple[StepKind, ...]] = STEP_KINDS

    def sandbox(self, options: SandboxOptions) -> SandboxRunner:
        """The Valant sandbox portal (imported lazily: FastAPI is only needed here)."""
        from portwright_valant.sandbox.config import SandboxConfig
        from portwright_valant.sandbox.server import SandboxServer

        chosen: dict[str, Any] = {
            "ui_version": options.ui_version, "seed": options.seed,
            "patients": options.patients, "session_ttl_s": options.session_ttl_s,
        }
        config = SandboxConfig(
            faults=options.faults, single_session=options.single_session,
            db_path=options.db_path, **{k: v for k, v in chosen.items() if v is not None},
        )
        return SandboxServer(config, host=options.host, port=options.port)

    async def demo(self, settings: Settings, console: Console, **options: Any) -> None:
        """The ``portwright demo`` tour (see :mod:`portwright_valant.demo`)."""
        from portwright_valant.demo import DemoOptions, run_demo

        await run_demo(settings, console, DemoOptions(**options))
