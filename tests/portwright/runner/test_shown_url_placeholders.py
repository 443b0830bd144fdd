"""While a flow's steps run, ``shown_url`` shows the flow's input values in a URL's path
as their placeholders, and every URL in the browser's error text passes it (only URLs
with a query used to). Whoever built the URL (the flow, or the portal redirecting), the
reader of an error sees ``{{ inputs.mrn }}`` where the MRN stood. The browser runs
behind it in ``test_redirected_urls_in_errors``."""

from __future__ import annotations

from datetime import date

from portwright.runner.playwright_errors import describe_playwright_error
from portwright.shown_url import inputs_as_placeholders, shown_url

MRN = "MRN-0042"


def test_the_browsers_own_words_name_a_page_by_placeholder_too() -> None:
    """Playwright's call log names pages it navigated to."""
    text = ('Timeout 300ms exceeded.\nCall log:\n  - waiting for navigation to "**/done"\n'
            f'    navigated to "http://127.0.0.1:8000/patients/{MRN}/chart"')
    with inputs_as_placeholders({"mrn": MRN}):
        shown = describe_playwright_error(text)
    assert 'navigated to "http://127.0.0.1:8000/patients/{{ inputs.mrn }}/chart"' in shown


def test_short_values_keywords_and_the_host_are_left_alone() -> None:
    with inputs_as_placeholders({"tab": "sum", "archived": "true", "host": "clinic",
                                 "mrn": MRN.lower(), "count": 12345}):
        assert shown_url(f"https://clinic.example/sum/true/{MRN}/12345?q={MRN}") == \
            "https://clinic.example/sum/true/{{ inputs.mrn }}/{{ inputs.count }}?…"
    # outside a run, nothing is known to replace
    assert shown_url(f"https://clinic.example/{MRN}") == f"https://clinic.example/{MRN}"


def test_encoded_and_differently_cased_values_and_dates_are_found() -> None:
    with inputs_as_placeholders({"name": "Quentin Marchbanks", "born": date(1961, 3, 9)}):
        assert shown_url("http://h/p/QUENTIN%20MARCHBANKS/1961-03-09/x") == \
            "http://h/p/{{ inputs.name }}/{{ inputs.born }}/x"
