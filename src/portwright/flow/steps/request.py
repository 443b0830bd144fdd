"""``request``: an HTTP call through the browser context, carrying the session's cookies."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from portwright.flow.steps.base import StepBase, problem

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RequestStep(StepBase):
    """Send ``method url``; the response (status, headers, json or text) goes to ``into``.

    A method other than GET/HEAD/OPTIONS counts as mutating unless ``mutates: false``.
    """

    action: Literal["request"]
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] = "GET"
    url: str
    params: dict[str, Any] = Field(default_factory=dict)
    headers: dict[str, str] = Field(default_factory=dict)
    json_body: Any = Field(default=None, alias="json")
    form: dict[str, Any] | None = None
    into: str | None = None
    expect_status: list[int] | None = Field(
        default=None, description="Fail unless the status is one of these (default: 2xx)."
    )

    @model_validator(mode="after")
    def _one_body(self) -> RequestStep:
        if self.json_body is not None and self.form is not None:
            raise problem(
                "request has both 'json' and 'form'",
                "at most one body: 'json' or 'form'",
            )
        return self

    def is_mutating(self, flow_mutates: bool) -> bool:
        if self.mutates is not None:
            return self.mutates
        return self.method not in SAFE_METHODS
