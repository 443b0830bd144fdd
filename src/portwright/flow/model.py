"""The flow header and body: name, version, inputs, outputs and steps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
)

from portwright.flow.input_values import CONVERSION_ERRORS, EXPECTED, convert
from portwright.flow.steps.base import StepBase, problem

if TYPE_CHECKING:
    from portwright.flow.steps.base import Step

__all__ = ["Flow", "InputSpec", "InputType", "OutputSpec"]

InputType = Literal["string", "int", "float", "bool", "date", "datetime", "list", "object"]

FLOW_NAME = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"


def _shown(value: Any, info: ValidationInfo) -> str:
    """A default or choice as an error may show it: never a secret input's value."""
    if info.data.get("secret"):
        return "(secret)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class InputSpec(BaseModel):
    """One typed input: required unless it has a default or says ``required: false``."""

    # A default and every choice must be a value of the input's type (converted as a
    # run's values are, portwright.flow.input_values) and the default one of the choices:
    # anything else is a definition error at its line, not a failure of every run that
    # relies on it. secret and choices come before default so its check can see them.
    model_config = ConfigDict(extra="forbid")

    type: InputType = "string"
    required: bool | None = None
    secret: bool = Field(default=False, description="Never echoed in logs or results.")
    choices: list[Any] | None = Field(
        default=None, min_length=1,
        description="The only values accepted (compared after conversion to the type); "
        "anything else is refused before the run starts, naming the choices.")
    default: Any = None
    description: str | None = None

    @field_validator("choices")
    @classmethod
    def _choices_are_of_the_type(cls, value: list[Any] | None,
                                 info: ValidationInfo) -> list[Any] | None:
        kind = info.data.get("type")
        if value is None or kind is None:
            return value
        for i, choice in enumerate(value):
            try:
                convert(kind, choice)
            except CONVERSION_ERRORS:
                raise problem(f"choice {i + 1} ({_shown(choice, info)}) is not a valid {kind}",
                              EXPECTED[kind]) from None
        return value

    @field_validator("default")
    @classmethod
    def _default_is_of_the_type(cls, value: Any, info: ValidationInfo) -> Any:
        """A default no run could use would fail every run that relies on it."""
        kind = info.data.get("type")
        if value is None or kind is None:
            return value
        try:
            converted = convert(kind, value)
        except CONVERSION_ERRORS:
            raise problem(f"default {_shown(value, info)} is not a valid {kind}",
                          EXPECTED[kind]) from None
        choices = info.data.get("choices")
        if choices is not None and converted not in [convert(kind, c) for c in choices]:
            raise problem(f"default {_shown(value, info)} is not one of choices {choices}",
                          "one of the choices, or no default")
        return value

    def allowed(self) -> list[Any] | None:
        """The choices converted to the input's type (what converted values are compared
        with), or None when any value of the type is accepted."""
        if self.choices is None:
            return None
        return [convert(self.type, c) for c in self.choices]

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
