"""The flow header and body: name, version, inputs, outputs and steps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from portwright.flow.steps.base import StepBase

if TYPE_CHECKING:
    from portwright.flow.steps.base import Step

__all__ = ["Flow", "InputSpec", "InputType", "OutputSpec"]

InputType = Literal["string", "int", "float", "bool", "date", "datetime", "list", "object"]

FLOW_NAME = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"


class InputSpec(BaseModel):
    """One typed input: required unless it has a default or says ``required: false``."""

    model_config = ConfigDict(extra="forbid")

    type: InputType = "string"
    required: bool | None = None
    default: Any = None
    description: str | None = None
    secret: bool = Field(default=False, description="Never echoed in logs or results.")
    choices: list[Any] | None = Field(
        default=None, min_length=1,
        description="The only values accepted (compared after conversion to the type); "
        "anything else is refused before the run starts, naming the choices.")

    @model_validator(mode="after")
    def _default_is_a_choice(self) -> InputSpec:
        """A default outside ``choices`` would be refused at every run that relies on it."""
        if self.choices is not None and self.default is not None \
                and self.default not in self.choices:
            raise ValueError(f"default {self.default!r} is not one of choices {self.choices}")
        return self

    @property
    def is_required(self) -> bool:
        if self.required is not None:
            return self.required
        return self.default is None


class OutputSpec(BaseModel):
    """A declared output: an entity list filled by ``emit``, or a value from an expression."""

    model_config = ConfigDict(extra="forbid")

    entity: str | None = Field(default=None, description="Entity emitted into this output.")
    value: str | None = Field(default=None, description="Template expression, e.g. 'rows'.")
    description: str | None = None


class Flow(BaseModel):
    """A parsed flow file. ``portal`` is the first segment of ``flow``."""

    model_config = ConfigDict(extra="forbid")

    flow: str = Field(pattern=FLOW_NAME, description="Dotted name: <portal>.<what>[.<how>].")
    version: int | str = 1
    description: str | None = None
    mutates: bool = False
    supports: list[str] | None = Field(
        default=None, description="Selector-map versions this flow is known to work with."
    )
    inputs: dict[str, InputSpec] = Field(default_factory=dict)
    outputs: dict[str, OutputSpec] = Field(default_factory=dict)
    steps: list[Step] = Field(min_length=1)

    _source: str | None = PrivateAttr(default=None)

    @field_validator("inputs", "outputs", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value

    @property
    def portal(self) -> str:
        return self.flow.split(".", 1)[0]

    @property
    def source(self) -> str | None:
        """The file the flow was read from (None for flows built in code)."""
        return self._source

    def walk(self) -> Iterator[StepBase]:
        """Every step, depth first, nested ones included."""
        stack: list[StepBase] = list(reversed(self.steps))
        while stack:
            step = stack.pop()
            yield step
            nested = [s for _, steps in step.children() for s in steps]
            stack.extend(reversed(nested))

    def selector_names(self) -> set[str]:
        """Every logical name the flow refers to."""
        return {name for step in self.walk() for name in step.selector_names()}
