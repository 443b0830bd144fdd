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

    ``html`` reads from an HTML document the session fetched (a ``request`` step's
    ``text``) instead of the page: the page does not move, which saves a navigation and
    a layout per document. The document is parsed inert (no script runs, nothing it
    links is loaded), so only strategies the DOM answers by itself apply (CSS, XPath,
    test id); a name whose strategies need a rendered page (role, label, placeholder,
    text) is refused.
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
    html: str | None = Field(
        default=None,
        description="Read from this HTML (a template, e.g. \"{{ tab.text }}\": a document "
                    "fetched by a 'request' step) instead of the page; parsed without running "
                    "its scripts. Only CSS, XPath and test-id strategies apply there.",
    )

    @model_validator(mode="after")
    def _shape(self) -> ExtractStep:
        if self.paginate and not self.rows:
            raise problem(
                "'paginate' without 'rows'",
                "'rows' (the logical name of each row) when paginating",
            )
        if self.html is not None and self.paginate:
            raise problem(
                "'paginate' with 'html'",
                "'html' (one fetched document) or 'paginate' (pages of the page), not both",
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
