"""The set of known step kinds, and the discriminated union built from it.

Built once, lazily: the built-in models, then kinds published by installed packages
(entry-point group ``portwright.steps``) and by adapters (``step_kinds`` class
attribute). Parsing a flow then dispatches on ``action`` in a single pass, and an
unknown ``action`` is reported with the list of known ones.

Every contributed kind keeps the adapters it comes from (:func:`step_kind_adapters`):
the union is global, so without that a flow of one portal could use another adapter's
kind and silently need that adapter installed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Annotated, Any, Union

from pydantic import BaseModel, Field

from portwright.adapter import ENTRY_POINT_GROUP, adapter_class
from portwright.exceptions import ConfigError
from portwright.flow.model import Flow
from portwright.flow.steps import BUILTIN_STEP_MODELS
from portwright.flow.steps.base import StepBase, StepKind, action_of
from portwright.flow.steps.retry import IdempotencyCheck

__all__ = [
    "STEP_ENTRY_POINT_GROUP",
    "plugin_step_kinds",
    "step_kind_adapters",
    "step_models",
    "step_union",
]

STEP_ENTRY_POINT_GROUP = "portwright.steps"

_lock = threading.Lock()


@cache
def plugin_step_kinds() -> tuple[StepKind, ...]:
    """Step kinds contributed by installed packages and adapters.

    Any problem with a contribution is an error naming where it came from and why, raised
    the first time a flow is parsed, so before any browsing: an adapter that fails to
    import, something that is not a ``StepKind``, an action another kind already has.
    Skipping the contribution instead would make every flow using it fail as "unknown
    action", far from the cause, and let a run sign in and browse before failing.
    """
    return tuple(kind for kind, _ in _catalogued())


@cache
def step_kind_adapters() -> dict[str, frozenset[str]]:
    """Action of each contributed step kind → the adapters it comes from.

    An adapter's ``step_kinds`` come from that adapter; a ``portwright.steps`` entry point
    comes from the adapters its distribution registers (none for a package that is no
    adapter: its kinds are for every portal). Built-in kinds are not listed.
    """
    return {kind.action: adapters for kind, adapters in _catalogued()}


@cache
def _catalogued() -> tuple[tuple[StepKind, frozenset[str]], ...]:
    """Every contributed step kind, checked, with the adapters it comes from."""
    taken = {action_of(m): "a built-in step kind" for m in BUILTIN_STEP_MODELS}
    kinds: list[tuple[StepKind, frozenset[str]]] = []
    for origin, adapters, contributed in _contributions():
        kind, action = _checked(origin, contributed)
        if action in taken:
            raise ConfigError(
                f"{origin} defines the step action '{action}', which {taken[action]} "
                "already defines",
                hint="give the step model another action name (action: Literal[\"...\"])",
            )
        taken[action] = origin
        kinds.append((kind, adapters))
    return tuple(kinds)


def _contributions() -> Iterator[tuple[str, frozenset[str], object]]:
    """(where it came from, the adapters it belongs to, what it is) of every contributed
    step kind, unchecked."""
    adapter_eps = list(entry_points(group=ENTRY_POINT_GROUP))
    for ep in entry_points(group=STEP_ENTRY_POINT_GROUP):
        origin = f"step entry point '{ep.name}' ({ep.value})"
        try:
            loaded = ep.load()
        except Exception as exc:
            raise ConfigError(f"{origin} failed to load: {type(exc).__name__}: {exc}",
                              hint="install what it imports, or uninstall the package "
                                   "that registers it") from exc
        yield origin, _adapters_of_distribution(ep, adapter_eps), loaded
    for ep in adapter_eps:
        declared = getattr(adapter_class(ep), "step_kinds", ())
        origin = f"adapter '{ep.name}' ({ep.value})"
        if not isinstance(declared, (tuple, list)):
            raise ConfigError(f"{origin}: step_kinds is {_described(declared)}, not a tuple "
                              "of StepKind", hint=_STEP_KIND_HINT)
        for i, kind in enumerate(declared):
            yield f"{origin}, step_kinds[{i}],", frozenset({ep.name}), kind


def _adapters_of_distribution(ep: EntryPoint, adapter_eps: list[EntryPoint]
                              ) -> frozenset[str]:
    """Names of the adapters registered by the distribution that registers ``ep``."""
    dist = _distribution_name(ep)
    if dist is None:
        return frozenset()
    return frozenset(a.name for a in adapter_eps if _distribution_name(a) == dist)


def _distribution_name(ep: EntryPoint) -> str | None:
    """The normalized name of the distribution declaring ``ep`` (PEP 503), if known."""
    dist = ep.dist
    if dist is None:
        return None
    return re.sub(r"[-_.]+", "-", dist.name).lower()


_STEP_KIND_HINT = "pair each step model with its handler: StepKind(MyStep, handle_my_step)"


def _described(value: object) -> str:
    if isinstance(value, type):
        return f"the class {value.__module__}.{value.__qualname__}"
    return f"a value of type {type(value).__name__}"


def _checked(origin: str, kind: object) -> tuple[StepKind, str]:
    """A contributed ``kind`` and its action, or ``ConfigError`` naming ``origin``."""
    if not isinstance(kind, StepKind):
        raise ConfigError(f"{origin} is {_described(kind)}, not a StepKind",
                          hint=_STEP_KIND_HINT)
    model: object = kind.model
    if not (isinstance(model, type) and issubclass(model, StepBase)):
        raise ConfigError(f"{origin} has a model that is {_described(model)}, not a "
                          "subclass of StepBase", hint=_STEP_KIND_HINT)
    if not callable(kind.handler):
        raise ConfigError(f"{origin} has a handler that is {_described(kind.handler)}, not "
                          "an async function", hint=_STEP_KIND_HINT)
    try:
        return kind, action_of(model)
    except TypeError as exc:
        raise ConfigError(f"{origin}: {exc}",
                          hint='declare it as action: Literal["my_action"]') from None


@cache
def step_models() -> tuple[type[StepBase], ...]:
    """Built-in and plugin step models (:func:`plugin_step_kinds` refuses duplicates)."""
    models = list(BUILTIN_STEP_MODELS) + [k.model for k in plugin_step_kinds()]
    seen: dict[str, type[StepBase]] = {}
    for model in models:
        action = action_of(model)
        if action in seen and seen[action] is not model:
            raise TypeError(
                f"step action '{action}' defined twice: {seen[action].__module__} "
                f"and {model.__module__}"
            )
        seen[action] = model
    return tuple(seen.values())


@cache
def step_union() -> Any:
    """``Annotated[Union[...], discriminator="action"]`` over every step model; also
    completes every model that refers to ``"Step"``."""
    with _lock:
        models = step_models()
        union: Any = Annotated[Union[tuple(models)], Field(discriminator="action")]  # noqa: UP007
        namespace = {"Step": union}
        containers: list[type[BaseModel]] = [*models, IdempotencyCheck, Flow]
        for model in containers:
            model.model_rebuild(force=True, _types_namespace=namespace)
        return union


def actions() -> list[str]:
    """Known actions, for messages."""
    return sorted(action_of(m) for m in step_models())
