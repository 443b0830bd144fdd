"""JSON Schema of selector-map files; committed as ``selectors/selector-map.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from portwright.selector_map.model import SelectorMapFile

__all__ = ["selector_map_schema", "selector_map_schema_text"]


def selector_map_schema() -> dict[str, Any]:
    schema = SelectorMapFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "portwright selector map"
    return schema


def selector_map_schema_text() -> str:
    return json.dumps(selector_map_schema(), indent=2, sort_keys=True) + "\n"
