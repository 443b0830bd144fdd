"""Control numbers are never handed out twice; delimiters are checked."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from portwright.exceptions import X12Error
from portwright.x12 import Delimiters
from portwright.x12.envelope import CounterControlNumbers, FileControlNumbers


def test_file_control_numbers_are_unique_across_threads_and_persist(tmp_path: Path) -> None:
    path = tmp_path / "state" / "x12-control-numbers.json"
    seen: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        numbers = FileControlNumbers(path)  # each worker its own object, one file
        for _ in range(25):
            value = numbers.next_interchange()
            with lock:
                seen.append(value)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == list(range(1, 101))
    assert FileControlNumbers(path).next_interchange() == 101
    assert FileControlNumbers(path).next_group() == 1  # groups count on their own


def test_counter_wraps_after_nine_digits() -> None:
    numbers = CounterControlNumbers(interchange=999_999_999)
    assert [numbers.next_interchange(), numbers.next_interchange()] == [999_999_999, 1]


@pytest.mark.parametrize(
    ("args", "message"),
    [(("*", "*", "^", "~"), "four different"), (("*", ":", "^", "A"), "letters"),
     (("*", ".", "^", "~"), "'.'"), (("**", ":", "^", "~"), "exactly one")],
)
def test_unusable_delimiters_are_refused(args: tuple[str, str, str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Delimiters(*args)


def test_isa_declaring_unusable_delimiters_is_an_x12_error() -> None:
    isa = ("ISA*00*          *00*          *ZZ*A              *ZZ*B              "
           "*260201*0930*^*00501*000000001*0*T*^~")  # component = repetition = '^'
    assert len(isa) == 106
    with pytest.raises(X12Error, match="unusable delimiters"):
        Delimiters.from_isa(isa)


@pytest.mark.parametrize(
    ("content", "reason"),
    [('{"interchange": 4', "not JSON"), ("", "not JSON"), ("[1, 2]", "not a JSON object"),
     ('{"interchange": 1000000000}', "1000000000, not a whole number from 1 to 999999999"),
     ('{"interchange": "12"}', "'12', not a whole number"),
     ('{"interchange": 7, "group": -1}', "-1, not a whole number")],
)
def test_a_damaged_counter_file_is_an_error_naming_it_and_is_left_alone(
        tmp_path: Path, content: str, reason: str) -> None:
    """A traceback, or a 10-digit ISA13 that breaks the fixed-width ISA, was what a
    damaged file gave; starting again at 1 would reuse numbers the clearinghouse saw."""
    path = tmp_path / "x12-control-numbers.json"
    path.write_text(content)
    with pytest.raises(X12Error, match="control-number file is damaged") as info:
        FileControlNumbers(path).next_interchange()
    assert str(path) in str(info.value) and reason in str(info.value)
    assert "do not delete it" in str(info.value)
    assert path.read_text() == content


def test_the_file_counter_wraps_from_nine_nines_to_one(tmp_path: Path) -> None:
    path = tmp_path / "x12-control-numbers.json"
    path.write_text('{"interchange": 999999999}')
    numbers = FileControlNumbers(path)
    assert [numbers.next_interchange(), numbers.next_interchange()] == [999_999_999, 1]
