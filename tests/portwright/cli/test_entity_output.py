"""``portwright run --format jsonl|table``: entities printed for pipes and for people."""

from __future__ import annotations

import io
import json

from rich.console import Console

from portwright.cli.entity_output import flatten, not_shown, print_entities
from portwright.entities import Location, Task


def _location() -> Location:
    return Location.model_validate({
        "locationId": "loc_1", "name": "Capitol Hill",
        "address": {"line1": "200 Wellness Ave", "city": "Seattle", "region": "WA",
                    "postalCode": "98109"},
        "phone": "+12065550110", "defaultPlaceOfService": "11"})


def test_jsonl_prints_one_camelcase_entity_per_line_and_skips_other_outputs() -> None:
    buffer = io.StringIO()
    count = print_entities({"Location": [_location(), _location()], "created": True},
                           "jsonl", Console(file=buffer))
    lines = buffer.getvalue().splitlines()
    assert count == 2 and len(lines) == 2
    assert json.loads(lines[0]) == _location().to_json_dict()
    assert json.loads(lines[0])["address"]["postalCode"] == "98109"


def test_table_flattens_nested_objects_into_dotted_columns() -> None:
    buffer = io.StringIO()
    print_entities({"Location": [_location()]}, "table", Console(file=buffer, width=400))
    text = buffer.getvalue()
    assert "Location (1)" in text
    for shown in ("address.city", "Seattle", "defaultPlaceOfService", "+12065550110"):
        assert shown in text


def test_a_narrow_terminal_shows_the_leading_columns_whole_and_names_the_rest() -> None:
    buffer = io.StringIO()
    print_entities({"Location": [_location()]}, "table", Console(file=buffer, width=80))
    text = buffer.getvalue()
    assert all(len(line) <= 80 for line in text.splitlines())
    header = next(line for line in text.splitlines() if "locationId" in line)
    assert "name" in header and "Capitol Hill" in text and "loc_1" in text  # not folded
    caption = text[text.index("more column(s) not shown"):]
    assert "address.postalCode" in caption and "defaultPlaceOfService" in caption
    assert "98109" not in text          # its column is named in the caption instead


def test_columns_empty_in_every_row_are_left_out() -> None:
    bare = Location.model_validate({"locationId": "loc_2", "name": "Annex"})
    buffer = io.StringIO()
    print_entities({"Location": [bare]}, "table", Console(file=buffer, width=400))
    text = buffer.getvalue()
    assert "locationId" in text and "Annex" in text
    assert "phone" not in text and "address" not in text and "not shown" not in text


def test_flatten_keeps_scalars_joins_scalar_lists_and_counts_object_lists() -> None:
    flat = flatten({"a": 1, "b": {"c": None}, "codes": ["F41.1", "F33.1"],
                    "items": [{"x": 1}, {"x": 2}]})
    assert flat == {"a": 1, "b.c": None, "codes": "F41.1, F33.1", "items": "2 item(s)"}


def test_an_output_without_entities_prints_nothing() -> None:
    buffer = io.StringIO()
    empty: list[Task] = []
    assert print_entities({"Task": empty, "ids": ["a"]}, "jsonl", Console(file=buffer)) == 0
    assert buffer.getvalue() == ""


def test_not_shown_names_every_output_that_is_not_a_list_of_entities() -> None:
    empty: list[Task] = []
    outputs = {"Location": [_location()], "Task": empty, "created": True, "ids": ["a"]}
    assert not_shown(outputs) == ["Task", "created", "ids"]


def test_table_cells_print_portal_text_verbatim_not_as_markup() -> None:
    buffer = io.StringIO()
    odd = _location().model_copy(update={"name": "[bold]Annex[/bold] [data-col=owner]"})
    print_entities({"Location": [odd]}, "table", Console(file=buffer, width=400))
    assert "[bold]Annex[/bold] [data-col=owner]" in buffer.getvalue()
