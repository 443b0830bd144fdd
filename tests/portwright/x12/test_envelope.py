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
