"""The set of known step kinds, and the discriminated union built from it.

Built once, lazily: the built-in models, then kinds published by installed packages
(entry-point group ``portwright.steps``) and by adapters (``step_kinds`` class
attribute). Parsing a flow then dispatches on ``action`` in a single pass, and an
unknown ``action`` is reported with the list of known ones.
"""

from __future__ import annotations

import threading
from functools import cache
from importlib.metadata import entry_points
from typing import Annotated, Any, Union

from pydantic import BaseModel, Field

from portwright.flow.model import Flow
from portwright.flow.steps import BUILTIN_STEP_MODELS
from portwright.flow.steps.base import StepBase, StepKind, action_of
from portwright.flow.steps.retry import IdempotencyCheck

__all__ = ["STEP_ENTRY_POINT_GROUP", "plugin_step_kinds", "step_models", "step_union"]

STEP_ENTRY_POINT_GROUP = "portwright.steps"

_lock = threading.Lock()


@cache
def plugin_step_kinds() -> tuple[StepKind, ...]:
    """Step kinds contributed by installed packages and adapters."""
    kinds: list[StepKind] = []
    for ep in entry_points(group=STEP_ENTRY_POINT_GROUP):
        kind = ep.load()
        if not isinstance(kind, StepKind):
            raise TypeError(f"entry point {ep.name} ({ep.value}) is not a StepKind")
        kinds.append(kind)
    from portwright.adapter import ENTRY_POINT_GROUP

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            adapter_cls = ep.load()
        except Exception:
            continue
        kinds.extend(getattr(adapter_cls, "step_kinds", ()))
    return tuple(kinds)


@cache
def step_models() -> tuple[type[StepBase], ...]:
    """Built-in and plugin step models; duplicate actions are an error."""
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
