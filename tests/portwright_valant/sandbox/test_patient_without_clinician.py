"""A patient with no primary clinician (the schema allows it; the seed always assigns one),
shown in both UI versions: the clinician cells are empty, as a real portal shows a field
nobody filled, not Python's ``None`` printed as a name or an id."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from html.parser import HTMLParser
from typing import Any

import pytest

from portwright_valant.testing import SandboxHandle, http_session


class Element(HTMLParser):
    """The text and attributes of the first element carrying ``key="value"``."""

    def __init__(self, key: str, value: str) -> None:
        super().__init__()
        self.key, self.value = key, value
        self.attrs: dict[str, str | None] | None = None
        self.text = ""
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._depth += 1
        elif self.attrs is None and dict(attrs).get(self.key) == self.value:
            self.attrs, self._depth = dict(attrs), 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.text += data


def element(html: str, key: str, value: str) -> Element:
    found = Element(key, value)
    found.feed(html)
    assert found.attrs is not None, f"no element with {key}={value!r}"
    return found


def add_patient_without_clinician(portal: SandboxHandle) -> dict[str, Any]:
    conn = portal.server.state.connect()
    try:
        row = dict(conn.execute("SELECT * FROM patients ORDER BY id LIMIT 1").fetchone())
        row |= {"id": "pt_noclin", "mrn": "MRN-99990", "primary_provider_id": None}
        conn.execute(f"INSERT INTO patients ({', '.join(row)}) "
                     f"VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
        conn.commit()
    finally:
        conn.close()
    return row


#: UI version → where the chart shows the clinician, and the list's clinician cell
CLINICIAN_CELLS = {"2025.4": (("id", "demo-provider"), ("class", "col-provider")),
                   "2026.1": (("data-testid", "field-clinician"), None)}


@pytest.mark.parametrize("version", sorted(CLINICIAN_CELLS))
def test_no_clinician_is_an_empty_cell_not_none(
        make_sandbox: Callable[..., SandboxHandle], version: str) -> None:
    portal = make_sandbox(ui_version=version, patients=3)
    patient = add_patient_without_clinician(portal)
    chart_cell, list_cell = CLINICIAN_CELLS[version]
    with closing(http_session(portal)) as client:
        chart = element(client.get(f"/patients/{patient['id']}?tab=demographics").text,
                        *chart_cell)
        assert (chart.text.strip(), chart.attrs and chart.attrs.get("data-provider-id")) == \
            ("", "")
        if list_cell is not None:
            listed = element(client.get("/patients", params={"q": patient["mrn"]}).text,
                             *list_cell)
            assert (listed.text.strip(), listed.attrs and listed.attrs.get("data-provider-id")) \
                == ("", "")
        else:
            [item] = client.get("/api/v2/patients", params={"q": patient["mrn"]}).json()["items"]
            assert item["primaryProvider"] is None
