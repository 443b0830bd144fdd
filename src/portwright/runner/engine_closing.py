"""Whether an engine is closed, and whether a run began before its latest close.

``Engine.close`` closes every session and releases the browser while runs may still be
in flight: their pages vanish under them and Playwright fails them with "target closed",
and a run started after the close would quietly launch a browser nobody closes. A run
notes the close count (its *generation*) when it starts; a run whose generation is no
longer the engine's was cut off, and says so instead of showing Playwright's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from portwright.exceptions import EngineClosed

__all__ = ["Closing"]

_HINT = ("await (or cancel) an engine's runs before engine.close(); "
         "`async with engine` or `await engine.start()` opens it again")


@dataclass
class Closing:
    """An engine's closed flag and close count."""

    #: set by ``close``, cleared by ``start``: a closed engine refuses runs
    closed: bool = False
    #: how many times the engine was closed: a run that saw it change was cut off
    closes: int = 0

    def close(self) -> None:
        self.closed = True
        self.closes += 1

    def open(self) -> None:
        self.closed = False

    @property
    def generation(self) -> int:
        """What a run starting now notes, to tell later whether it was cut off."""
        return self.closes

    def cut_off(self, generation: int) -> bool:
        """Whether the engine was closed since a run of ``generation`` began."""
        return self.closes != generation

    def error(self, generation: int, flow: str | None = None) -> EngineClosed | None:
        """The error of a run of ``generation`` when the engine is closed, or was closed
        after the run started; None when neither."""
        if not self.closed and not self.cut_off(generation):
            return None
        what = f"{flow}: " if flow else ""
        if self.cut_off(generation) and flow:
            return EngineClosed(f"{what}the engine was closed while the run was in flight",
                                   hint=_HINT)
        return EngineClosed(f"{what}the engine is closed", hint=_HINT)

    def refuse(self, generation: int, flow: str | None = None) -> None:
        """Raise :meth:`error` if there is one."""
        error = self.error(generation, flow)
        if error is not None:
            raise error
