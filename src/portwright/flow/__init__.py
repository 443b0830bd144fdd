"""Flow definitions: pure pydantic models of flow files, loaded with positions kept."""

from __future__ import annotations

from portwright.flow.loader import FlowProblems, load_flow, load_flow_text
from portwright.flow.model import Flow, InputSpec, OutputSpec
from portwright.flow.repository import FlowRepository
from portwright.flow.steps.base import StepBase, StepKind

__all__ = [
    "Flow",
    "FlowProblems",
    "FlowRepository",
    "InputSpec",
    "OutputSpec",
    "StepBase",
    "StepKind",
    "load_flow",
    "load_flow_text",
]
