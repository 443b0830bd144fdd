"""JSON Schema of flow files (for YAML editors); committed as ``flows/flow.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from portwright.flow.catalog import step_union
from portwright.flow.model import Flow

__all__ = ["flow_schema", "flow_schema_text"]


def flow_schema() -> dict[str, Any]:
    step_union()
    schema = Flow.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "portwright flow"
    return schema


def flow_schema_text() -> str:
    return json.dumps(flow_schema(), indent=2, sort_keys=True) + "\n"
