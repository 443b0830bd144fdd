"""``portwright demo``: the main job of ``make demo``.

For now it is the doctor report; the Valant adapter turns it into the sandbox tour.
"""

from __future__ import annotations

import typer

from portwright.cli.doctor import doctor


def demo() -> None:
    """Run the end-to-end demonstration against the embedded sandbox portal."""
    doctor(require_services=False)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
