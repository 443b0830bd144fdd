"""``extract``: read fields of one element, or of every row of a table or list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from portwright.flow.steps.base import StepBase, problem
from portwright.flow.steps.pagination import Pagination

__all__ = ["ExtractStep", "FieldSpec"]


class FieldSpec(BaseModel):
    """One extracted field: where (logical name), what (text or an attribute), how to clean.

    ``transform`` names one or more transforms applied in order (``strip``, ``int``,
    ``float``, ``lower``, ``upper``, ``collapse``, ``empty_none``, ``bool``, ``digits``,
    ``date``); see docs/flows.md.
    """

    model_config = ConfigDict(extra="forbid")

    target: str | None = Field(
        default=None, description="Logical name; omitted means the row (or element) itself."
    )
    attr: str | None = Field(default=None, description="Attribute instead of inner text.")
    transform: str | list[str] = Field(default_factory=list)
    optional: bool = Field(default=False, description="Missing element gives null.")

    def transforms(self) -> list[str]:
        return [self.transform] if isinstance(self.transform, str) else list(self.transform)


class ExtractStep(StepBase):
    """With ``rows``: a list of dicts, one per row; without: one dict (``target`` scope).

    A field given as a plain string is a logical name whose inner text is read.
    """

    action: Literal["extract"]
    into: str
    target: str | None = Field(default=None, description="Single element to read from.")
    rows: str | None = Field(default=None, description="Logical name matching every row.")
    fields: dict[str, str | FieldSpec] = Field(min_length=1)
    paginate: Pagination | None = None
    limit: int | str | None = Field(
        default=None, description="At most this many rows (a number or a template)."
    )

    @model_validator(mode="after")
    def _shape(self) -> ExtractStep:
        if self.paginate and not self.rows:
            raise problem(
                "'paginate' without 'rows'",
                "'rows' (the logical name of each row) when paginating",
            )
        if self.target and self.rows:
            raise problem(
                "extract has both 'target' and 'rows'",
                "'target' (one element) or 'rows' (a list), not both",
            )
        return self

    def field_specs(self) -> dict[str, FieldSpec]:
        return {k: FieldSpec(target=v) if isinstance(v, str) else v
                for k, v in self.fields.items()}

    def selector_names(self) -> Iterator[str]:
        for name in (self.target, self.rows):
            if name:
                yield name
        for spec in self.field_specs().values():
            if spec.target:
                yield spec.target
        if self.paginate:
            yield from self.paginate.selector_names()
