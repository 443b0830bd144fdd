"""The proposed map fix as text: only the fixed entries' lines change, in the file of the
version checked, whatever the layout around them."""

from __future__ import annotations

from pathlib import Path

from portwright.selector_map.check import NameCheck
from portwright.selector_map.loader import load_portal_maps
from portwright.selector_map.proposal import propose_map_fix

PARENT = """portal: toy
version: "1.0"
detect:
  - {meta: app-version, matches: "^1\\\\."}
selectors:
  home.hello: [{css: "#old-hello"}, {role: button, name: "Hello"}]
pages:
  home: {path: /, public: true}
"""

CHILD = """# toy 2.0: the redesign
portal: toy
version: "2.0"
extends: "1.0"
detect:
  - {meta: app-version, matches: "^2\\\\."}
selectors:
  home.row:
    # rows moved into a list
    strategies: [{css: "table tr"}, {css: "ul li"}]
    all: true

  # the footer is new
  home.footer: [{css: "footer"}]
remove: []
"""


def _maps(tmp_path: Path) -> Path:
    folder = tmp_path / "toy"
    folder.mkdir()
    (folder / "1.0.yaml").write_text(PARENT)
    (folder / "2.0.yaml").write_text(CHILD)
    return folder


def test_own_and_inherited_fixes_change_only_their_lines(tmp_path: Path) -> None:
    smap = load_portal_maps(_maps(tmp_path))["2.0"]
    checks = [NameCheck("home.row", "fallback", 'css=ul li', 3, "home", 1),
              NameCheck("home.hello", "fallback", 'role=button', 1, "home", 1),
              NameCheck("home.footer", "primary", "css=footer", 1, "home", 0),
              NameCheck("home.gone", "missing", None, 0, "home")]
    proposal = propose_map_fix(smap, checks)
    assert proposal.text == CHILD.replace(
        """  home.row:
    # rows moved into a list
    strategies: [{css: "table tr"}, {css: "ul li"}]
    all: true
""", """  home.row: {strategies: [{css: "ul li"}, {css: "table tr"}], all: true}
""").replace(
        """  home.footer: [{css: "footer"}]
""", """  home.footer: [{css: "footer"}]
  home.hello: [{role: "button", name: "Hello"}, {css: "#old-hello"}]
""")
    assert len(proposal.changes) == 2 and "inherited from 1.0.yaml" in proposal.changes[1]
    assert proposal.by_hand == ["home.gone: every strategy found nothing"]
    # and it is a map that loads, with the found strategies first
    (tmp_path / "toy" / "2.0.yaml").write_text(proposal.text)
    fixed = load_portal_maps(tmp_path / "toy")["2.0"]
    assert fixed.entries["home.row"].strategies[0].model_dump(exclude_defaults=True) == \
        {"css": "ul li"}
    assert fixed.entries["home.row"].all is True
    assert fixed.entries["home.hello"].strategies[0].model_dump(exclude_defaults=True) == \
        {"role": "button", "name": "Hello"}
    assert load_portal_maps(tmp_path / "toy")["1.0"].entries["home.hello"].strategies[0] \
        .model_dump(exclude_defaults=True) == {"css": "#old-hello"}   # parent untouched
