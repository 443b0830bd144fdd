"""When the canary judges that a field's values moved, and what it proposes for it: the
rules behind ``field_values_moved``, on outputs made here (no browser)."""

from __future__ import annotations

from typing import Any

from portwright.recording.scrub import BASELINE_POLICY, Scrubber, ScrubPolicy
from portwright_monitor.moved_values import moved_fields
from portwright_monitor.report import Finding
from portwright_monitor.strategy_exchange import plan_exchanges

POLICY = BASELINE_POLICY.merged(ScrubPolicy.model_validate(
    {"fields": {"first_name": "name", "last_name": "name", "city": "city"}}))
PEOPLE = [{"id": str(100 + i), "first_name": f, "last_name": last, "city": c, "state": s}
          for i, (f, last, c, s) in enumerate([
              ("Maren", "Okafor", "Tacoma", "WA"), ("Theo", "Lindqvist", "Spokane", "WA"),
              ("Priya", "Castellano", "Portland", "OR"), ("Jonah", "Whitfield", "Boise", "ID"),
              ("Amara", "Nakagawa", "Eugene", "OR")])]


def recorded(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The golden output a recording of ``records`` commits: scrubbed as the recorder
    scrubs it, names and cities pseudonyms."""
    scrubber = Scrubber(POLICY)
    golden = {"outputs": {"rows": records}}
    scrubber.learn_json(golden)
    scrubbed: dict[str, Any] = scrubber.scrub_json(golden)
    return scrubbed


def swapped(records: list[dict[str, Any]], a: str, b: str) -> list[dict[str, Any]]:
    return [{**r, a: r[b], b: r[a]} for r in records]


def moves(baseline: dict[str, Any], live: list[dict[str, Any]]) -> set[tuple[str, str, int]]:
    return {(m.field, m.now_holds, m.moved)
            for found in moved_fields(baseline, {"rows": live}, POLICY).values()
            for m in found}


def test_a_swap_is_judged_from_three_records_matched_to_the_baseline_on() -> None:
    baseline = recorded(PEOPLE)
    # a list of three, two of them the baseline's: too few to count (an output of only
    # two records is judged record by record: test_moved_values_few_records.py)
    stranger = {"id": "900", "first_name": "Ilse", "last_name": "Varga", "city": "Reno",
                "state": "NV"}
    assert moves(baseline, [*swapped(PEOPLE[:2], "first_name", "last_name"), stranger]) \
        == set()
    assert moves(baseline, swapped(PEOPLE[:3], "first_name", "last_name")) == {
        ("first_name", "last_name", 3), ("last_name", "first_name", 3)}
    # a city read as the state and the other way round: scrubbed as different kinds
    assert moves(baseline, swapped(PEOPLE, "city", "state")) == {
        ("city", "state", 5), ("state", "city", 5)}


def test_a_golden_written_by_hand_with_plain_values_is_compared_as_it_is() -> None:
    baseline = {"outputs": {"rows": PEOPLE}}
    assert moves(baseline, swapped(PEOPLE, "first_name", "last_name")) == {
        ("first_name", "last_name", 5), ("last_name", "first_name", 5)}


def test_two_fields_that_hold_the_same_values_did_not_move() -> None:
    """A display name that is the first name, in the baseline as live: the value is in
    its own field too, so it stayed."""
    same = [{**r, "display_name": r["first_name"]} for r in PEOPLE]
    assert moves({"outputs": {"rows": same}}, same) == set()


def moved(field: str, holds: str, reads: str | None, index: int | None = 0) -> Finding:
    return Finding(severity="drift", kind="field_values_moved", flow="toy.list",
                   subject=f"rows.{field}", now_holds=f"rows.{holds}", detail="",
                   reads=reads, strategy=f"css=td.{field}", strategy_index=index,
                   map_version="4.0")


def test_swapped_and_rotated_fields_exchange_the_strategies_that_found_them() -> None:
    plan = plan_exchanges([moved("first", "last", "home.first", 1),
                           moved("last", "first", "home.last", 0)])
    assert [(x.name, x.donor, x.donor_index, x.own_index) for x in plan.exchanges] == [
        ("home.first", "home.last", 0, 1), ("home.last", "home.first", 1, 0)]
    assert plan.by_hand == []
    rotated = plan_exchanges([moved("a", "b", "home.a"), moved("b", "c", "home.b"),
                              moved("c", "a", "home.c")])
    # a's strategy finds b's values: b's name gets it
    assert {(x.name, x.donor) for x in rotated.exchanges} == {
        ("home.b", "home.a"), ("home.c", "home.b"), ("home.a", "home.c")}


def test_a_field_read_twice_or_through_no_name_is_left_to_a_person() -> None:
    """A column removed: ``city`` now reads the state's column, and nothing reads the
    city's: there is no strategy to give ``home.city``, and a guess would read wrong."""
    plan = plan_exchanges([moved("city", "state", "home.city")])
    assert plan.exchanges == []
    assert plan.by_hand == ["home.city: rows.city holds what rows.state held, and no field "
                            "holds what rows.city held: no strategy to give it; not proposed"]
    plan = plan_exchanges([moved("first", "last", None), moved("last", "first", "home.last")])
    assert plan.exchanges == []
    assert plan.by_hand == ["rows.first, rows.last: their values moved, but one of them "
                            "is read through no logical name; not proposed"]
