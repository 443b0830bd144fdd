"""Adapters: one per portal, discovered through the ``portwright.adapters`` entry points.

An adapter is declarative: its name, the package that holds its sandbox (if any), and
its normalizers (raw records → entities). The engine never imports a portal by name;
adding a portal means installing a package that registers an entry point.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from portwright.exceptions import AdapterLoadError, AdapterNotFound

if TYPE_CHECKING:
    from portwright.entities.base import EntityModel

__all__ = [
    "ENTRY_POINT_GROUP",
    "Adapter",
    "SandboxOptions",
    "SandboxRunner",
    "adapter_class",
    "available_adapters",
    "load_adapter",
]

ENTRY_POINT_GROUP = "portwright.adapters"

Normalizer = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class SandboxOptions:
    """What ``portwright sandbox <adapter>`` was asked for; None means the sandbox default.

    ``db_path`` names a database kept between runs: a new (or empty) file is created and
    seeded, an existing one is reopened as is, so ``seed`` and ``patients`` shape only a
    new database.
    """

    host: str = "127.0.0.1"
    port: int = 0
    ui_version: str | None = None
    seed: int | None = None
    patients: int | None = None
    faults: str = ""
    db_path: Path | None = None
    session_ttl_s: int | None = None
    single_session: bool = False


class SandboxRunner(Protocol):
    """A portal sandbox ready to serve: its URL, and a blocking ``serve_forever``.

    The sandbox should hold its listening socket once built (a taken port is an
    ``OSError`` from ``Adapter.sandbox``); ``serve_forever`` calls ``on_ready`` once it
    accepts connections, which is when the CLI announces the URL. The CLI stops it by an
    exception raised in the main thread (``KeyboardInterrupt`` on Ctrl-C, a
    ``BaseException`` on SIGTERM, possibly while ``Adapter.sandbox`` still builds it):
    clean up (temporary files) on any exception, not only on ``Exception``.
    """

    @property
    def url(self) -> str: ...

    def serve_forever(self, on_ready: Callable[[], None] | None = None) -> None: ...


class Adapter:
    """Base class for a portal adapter. Subclasses set class attributes, not logic."""

    name: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    #: entity name → function turning one raw record into that entity
    normalizers: ClassVar[Mapping[str, Normalizer]] = {}
    #: the adapter's own entities: models of records the engine has no entity for,
    #: emitted by class name (docs/entities.md, "An adapter's own entities")
    entities: ClassVar[Sequence[type[EntityModel]]] = ()

    def sandbox(self, options: SandboxOptions) -> SandboxRunner:
        """This portal's local sandbox; adapters that ship one override this."""
        raise AdapterNotFound(f"adapter '{self.name}' ships no sandbox portal")

    def normalizer(self, entity: str) -> Normalizer:
        try:
            return self.normalizers[entity]
        except KeyError:
            known = ", ".join(sorted(self.normalizers)) or "none"
            raise AdapterNotFound(
                f"adapter '{self.name}' has no normalizer for entity '{entity}'",
                hint=f"known entities: {known}",
            ) from None


def available_adapters() -> dict[str, str]:
    """Registered adapters: name → ``module:attr`` of their entry point."""
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def adapter_class(entry_point: EntryPoint) -> type[Adapter]:
    """The ``Adapter`` subclass an entry point names, imported.

    An adapter that cannot be imported (a missing dependency, a syntax error) or that
    names something else is ``AdapterLoadError`` naming the entry point and the cause:
    raised as is, the import error would surface far from its cause (at the first
    ``emit`` of a run, or as a traceback from ``replay``), or be taken for another problem.
    """
    where = f"adapter '{entry_point.name}' ({entry_point.value})"
    try:
        cls = entry_point.load()
    except Exception as exc:
        raise AdapterLoadError(
            f"{where} failed to load: {type(exc).__name__}: {exc}",
            adapter=entry_point.name, entry_point=entry_point.value,
            hint="install what it imports, or fix its package and reinstall it "
                 "(pip install -e adapters/<portal>)",
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, Adapter)):
        raise AdapterLoadError(f"{where} is not an Adapter subclass",
                               adapter=entry_point.name, entry_point=entry_point.value,
                               hint="point the 'portwright.adapters' entry point at a "
                                    "subclass of portwright.adapter.Adapter")
    return cls


def load_adapter(name: str) -> Adapter:
    """Instantiate the adapter registered under ``name``: ``AdapterNotFound`` when none
    is, ``AdapterLoadError`` when it is but does not import or start."""
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            cls = adapter_class(ep)
            try:
                return cls()
            except Exception as exc:
                raise AdapterLoadError(
                    f"adapter '{name}' ({ep.value}) failed to start: "
                    f"{type(exc).__name__}: {exc}", adapter=name, entry_point=ep.value,
                    hint="an adapter sets class attributes; its __init__ must take no "
                         "arguments") from exc
    known = ", ".join(sorted(available_adapters())) or "none installed"
    raise AdapterNotFound(
        f"no adapter named '{name}'",
        hint=f"installed adapters: {known}; install one with pip install -e adapters/<portal>",
    )
