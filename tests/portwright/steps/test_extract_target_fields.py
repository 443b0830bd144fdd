"""A field of an ``extract`` with ``target:`` is looked up inside the target; when it is
not found there, the error says so.

It used to read like a broken map ("no strategy matched: 'home.title' ... tried:
css=h1#title → 0", hint "the page may have changed: update 'home.title'"), though the
name was right and the heading is on the page, only outside the target; an adapter
author then "fixed" a correct map. Row fields already say "inside the row".
"""

from __future__ import annotations

from typing import Any

import pytest

from portwright.exceptions import SelectorNotFound

pytestmark = pytest.mark.browser

GO_HOME = '  - {action: goto, url: "{{ portal.base_url }}/"}\n'


async def test_a_field_outside_the_target_is_reported_as_looked_for_inside_it(
        run_flow: Any) -> None:
    # home.title (h1#title) is on the page, but not inside #card
    with pytest.raises(SelectorNotFound) as info:
        await run_flow(GO_HOME + "  - {action: extract, into: x, target: card, timeout_ms: 500, "
                       "fields: {who: card.who, title: home.title}}\n")
    err = info.value
    assert err.name == "home.title"
    assert "inside 'card'" in err.message
    assert "css=h1#title → 0" in err.message  # what was counted, inside the card
    assert err.hint is not None
    assert "is it inside 'card'?" in err.hint
    assert "looked up within it" in err.hint
    assert "the page may have changed" not in str(err)


async def test_a_field_inside_the_target_is_still_read(run_flow: Any) -> None:
    result = await run_flow(GO_HOME + "  - {action: extract, into: x, target: card, "
                            "fields: {who: card.who}}\n",
                            header="outputs:\n  who: {value: x.who}\n")
    assert result.outputs == {"who": "Ada Lovelace"}


async def test_a_missing_target_is_still_named_itself(run_flow: Any) -> None:
    """The new wording is for a field missing inside a target that is there."""
    with pytest.raises(SelectorNotFound) as info:
        await run_flow(GO_HOME + "  - {action: extract, into: x, target: home.missing, "
                       "timeout_ms: 500, fields: {n: {attr: id}}}\n")
    assert info.value.name == "home.missing"
    assert "inside" not in info.value.message
