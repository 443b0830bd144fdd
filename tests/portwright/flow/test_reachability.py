"""The one rule for "branch on what the selector map offers": which names a map version
must define for a flow. Toy flows against toy maps (a map is its set of defined names)."""

from __future__ import annotations

from portwright.flow.loader import load_flow_text
from portwright.flow.model import Flow
from portwright.flow.reachability import map_offers, reachable_names

# a version offering the load-more list, and one paging with a next link
NEW = {"list.row", "list.load_more", "list.json_ready"}
OLD = {"list.row", "list.next"}


def flow(steps: str) -> Flow:
    return load_flow_text(f"flow: toy.case\ninputs:\n  path: {{type: string, default: auto}}\n"
                          f"steps:\n{steps}", "case.yaml")


BRANCHED = flow("""  - {action: wait_for, target: list.row}
  - action: if
    map_offers: [list.load_more]
    then:
      - {action: wait_for, target: list.json_ready}
      - {action: click, target: list.load_more}
    else:
      - action: foreach
        items: "[1, 2]"
        as: n
        steps:
          - {action: click, target: list.next}
""")


def missing(f: Flow, defined: set[str]) -> set[str]:
    return reachable_names(f, defined) - defined


def test_map_offers_needs_every_name() -> None:
    assert map_offers(NEW, ["list.row", "list.load_more"])
    assert not map_offers(OLD, ["list.row", "list.load_more"])


def test_names_in_a_branch_a_version_cannot_take_are_not_required_of_it() -> None:
    assert reachable_names(BRANCHED, NEW) == {"list.row", "list.json_ready", "list.load_more"}
    assert reachable_names(BRANCHED, OLD) == {"list.row", "list.next"}
    assert missing(BRANCHED, NEW) == set()
    assert missing(BRANCHED, OLD) == set()


def test_a_guarded_name_missing_in_a_version_that_offers_the_guard_is_reported() -> None:
    # NEW offers list.load_more, so it takes 'then' and must define list.json_ready
    assert missing(BRANCHED, NEW - {"list.json_ready"}) == {"list.json_ready"}


def test_an_unguarded_missing_name_is_reported_in_every_version() -> None:
    f = flow("""  - {action: click, target: list.nxt}
  - action: if
    map_offers: [list.load_more]
    then: [{action: click, target: list.load_more}]
""")
    assert missing(f, NEW) == {"list.nxt"}
    assert missing(f, OLD) == {"list.nxt"}


def test_with_a_condition_too_else_is_reachable_in_every_version() -> None:
    # 'then' needs the map AND the condition, so a version offering the names may still
    # run 'else' (e.g. the caller asked for the DOM path)
    f = flow("""  - action: if
    map_offers: [list.load_more]
    condition: "inputs.path != 'dom'"
    then: [{action: click, target: list.load_more}]
    else: [{action: click, target: list.next}]
""")
    assert missing(f, NEW) == {"list.next"}
    assert missing(f, OLD) == set()


def test_the_guard_names_themselves_are_not_required_and_nesting_narrows_further() -> None:
    f = flow("""  - action: if
    map_offers: [list.load_more]
    then:
      - action: if
        map_offers: [list.json_ready]
        then: [{action: click, target: list.json_only}]
        else: [{action: click, target: list.no_json}]
""")
    assert reachable_names(f, OLD) == set()
    assert reachable_names(f, NEW) == {"list.json_only"}
    assert reachable_names(f, NEW - {"list.json_ready"}) == {"list.no_json"}


def test_other_conditions_do_not_narrow() -> None:
    f = flow("""  - action: if
    condition: "1 == 2"
    then: [{action: click, target: list.next}]
    else: [{action: click, target: list.load_more}]
""")
    assert reachable_names(f, OLD) == {"list.next", "list.load_more"}
