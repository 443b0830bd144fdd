"""What every step model shares, and the plugin record that adds a step kind.

Step models are pure data (pydantic, ``extra="forbid"``): parsing a flow never touches a
browser. Nested step lists are typed with the forward reference ``"Step"``, which
:mod:`portwright.flow.catalog` resolves to the discriminated union of every known step
kind (built-ins plus plugins) the first time a flow is parsed. That is what lets an
adapter add a step kind without editing the engine.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from pydantic_core import PydanticCustomError

__all__ = ["SourcePosition", "StepBase", "StepKind", "TargetedStep", "problem"]

@dataclass(frozen=True)
class SourcePosition:
    """Where a node sits in its YAML file (1-based), for run-time error messages."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class StepBase(BaseModel):
    """Fields every step accepts.

    ``mutates`` marks a step that changes the portal (submits, creates, cancels). Left
    unset, a step counts as mutating when its kind *may* mutate (``may_mutate``) and the
    flow header says ``mutates: true``; retrying a mutating step needs an idempotency
    check, or the definition is rejected with ``UnsafeRetry``.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    action: str
    id: str | None = Field(default=None, description="Label used in logs, errors and timings.")
    description: str | None = None
    timeout_ms: int | None = Field(
        default=None, gt=0, le=2**31 - 1,  # above, Playwright gives up at once
        description="Overrides the run's step timeout for this step (ms, at most "
                    "2147483647, about 24.8 days).",
    )
    retries: int = Field(
        default=0, ge=0, le=10,
        description="Extra attempts after a failure (refused on mutating steps).",
    )
    mutates: bool | None = Field(
        default=None, description="True when this step changes data on the portal."
    )

    #: True for kinds that can change portal state (click, fill, request...).
    may_mutate: ClassVar[bool] = False
    #: True for kinds that type secrets or one-time codes themselves (e.g. ``mfa``): the
    #: runner pauses tracing around them as it does for steps whose templates use secrets.
    handles_secrets: ClassVar[bool] = False

    _path: str = PrivateAttr(default="")
    _loc: tuple[str | int, ...] = PrivateAttr(default=())
    _position: SourcePosition | None = PrivateAttr(default=None)
    _uses_secrets: bool = PrivateAttr(default=False)
    _name_places: dict[str, tuple[SourcePosition, str]] = PrivateAttr(default_factory=dict)

    @property
    def path(self) -> str:
        """Where the step sits in its flow, e.g. ``steps[3].then[0]``."""
        return self._path

    @property
    def loc(self) -> tuple[str | int, ...]:
        """The step's location in its YAML document, e.g. ``('steps', 3, 'then', 0)``."""
        return self._loc

    @property
    def touches_secrets(self) -> bool:
        """Whether running this step puts a secret on the page (set when loaded)."""
        return self._uses_secrets or self.handles_secrets

    @property
    def position(self) -> SourcePosition | None:
        return self._position

    @property
    def title(self) -> str:
        """Human name for logs: the explicit ``id`` or ``<path> <action>``."""
        return self.id or f"{self._path} ({self.action})"

    def children(self) -> Iterator[tuple[str, Sequence[StepBase]]]:
        """Nested step lists as (field name, steps); containers override this."""
        return iter(())

    def branches(
        self, offered: Callable[[Sequence[str]], bool]
    ) -> Iterator[tuple[str, Sequence[StepBase]]]:
        """The nested step lists a run can reach, given ``offered(names)``: whether the
        detected selector map defines all of ``names``. Only steps that branch on what the
        map offers (``if`` with ``map_offers``) narrow this; the rest reach every child.
        See :mod:`portwright.flow.reachability`.
        """
        return self.children()

    def selector_names(self) -> Iterator[str]:
        """Logical selector names this step refers to (for validation against maps)."""
        return iter(())

    def place_of(self, name: str) -> tuple[SourcePosition | None, str]:
        """Where this step writes the logical name ``name`` (as found when the flow was
        loaded): its position and field path, e.g. ``steps[2].fields.mrn``; the step's own
        position and path when not known."""
        return self._name_places.get(name, (self._position, self._path))

    def is_mutating(self, flow_mutates: bool) -> bool:
        """Whether this step counts as changing portal data within its flow."""
        if self.mutates is not None:
            return self.mutates
        return flow_mutates and self.may_mutate


if TYPE_CHECKING:  # at run time "Step" stays a forward reference until the catalog builds it
    Step = StepBase


class TargetedStep(StepBase):
    """A step acting on one element named by a logical selector name."""

    target: str = Field(description="Logical selector name from the portal's selector map.")

    def selector_names(self) -> Iterator[str]:
        yield self.target


Handler = Callable[[Any, Any], Awaitable[None]]


@dataclass(frozen=True)
class StepKind:
    """A step kind contributed from outside the engine: its model and its handler.

    Publish one through the ``portwright.steps`` entry-point group (the value points at a
    ``StepKind``) or list it in an adapter's ``step_kinds`` class attribute. The handler
    is ``async def handler(step, run) -> None`` where ``run`` is a
    :class:`portwright.runner.context.RunContext`.
    """

    model: type[StepBase]
    handler: Handler

    @property
    def action(self) -> str:
        return action_of(self.model)


def action_of(model: type[StepBase]) -> str:
    """The ``action`` literal a step model is tagged with."""
    field = model.model_fields["action"]
    args: tuple[Any, ...] = tuple(getattr(field.annotation, "__args__", ()))
    if len(args) != 1 or not isinstance(args[0], str):
        raise TypeError(f"{model.__name__}.action must be a single Literal string")
    return str(args[0])


def problem(what: str, expected: str) -> PydanticCustomError:
    """A validation problem that keeps *what is wrong* and *what was expected* apart,
    so definition errors can print both (raise it from model validators)."""
    return PydanticCustomError("definition", what, {"expected": expected})
