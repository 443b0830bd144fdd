"""``require``: stop the run, before anything is sent, when the inputs disagree.

A flow's input types say what each input is on its own; some facts only hold between
inputs (an end after its start, on the same day as the portal's form expects). Checked
in the flow, such a mistake is named at once instead of being typed into the portal,
where it would be silently cut down or booked wrong.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase


class RequireStep(StepBase):
    """``condition`` (a template expression) must be true, else the run stops with a
    :class:`~portwright.exceptions.FlowInputError` about input ``input`` saying
    ``message`` (templated)."""

    action: Literal["require"]
    condition: str = Field(description="Expression that must be true to go on.")
    input: str = Field(description="The input the message is about (the one to change).")
    message: str = Field(description="What is wrong, for the person who gave the inputs.")
