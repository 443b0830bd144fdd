"""The reference samples (written by others) parse and re-emit byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from portwright.exceptions import X12Error
from portwright.x12 import Delimiters, parse_interchanges, tokenize, write_segments

SAMPLES = Path("/work/shared/reference/x12")
FILES = sorted(SAMPLES.glob("*.x12"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_sample_round_trips_byte_identical(path: Path) -> None:
    raw = path.read_bytes()
    delimiters, segments = tokenize(raw.decode("ascii"))
    assert write_segments(segments, delimiters).encode("ascii") == raw
    inter = parse_interchanges(raw.decode("ascii"))[0]
    assert inter.problems() == []
    assert inter.segments[-1].tag == "IEA"


def test_sample_count_is_what_the_readme_lists() -> None:
    assert len(FILES) == 6


def test_one_line_file_keeps_its_shape_and_elements() -> None:
    text = (SAMPLES / "835_emedny_sample.x12").read_text()
    delimiters, segments = tokenize(text)
    assert "\n" not in text
    assert delimiters == Delimiters("*", ":", "^", "~")
    svc = next(s for s in segments if s.tag == "SVC")
    assert svc.composite(1, ":") == ["HC", "V2020", "RB"]
    # SE01 in the sample counts ST..SE: check against our own segment count.
    st = next(i for i, s in enumerate(segments) if s.tag == "ST")
    se = next(i for i, s in enumerate(segments) if s.tag == "SE")
    assert segments[se].get(1) == str(se - st + 1) == "65"


def test_envelope_problems_are_found() -> None:
    text = (SAMPLES / "837p_lfh_example1_X222A1.x12").read_text()
    broken = text.replace("SE*40*0021", "SE*39*0021").replace("IEA*1*000000907",
                                                               "IEA*1*000000908")
    problems = parse_interchanges(broken)[0].problems()
    assert any("SE01 says 39" in p and "counted 40" in p for p in problems)
    assert any("IEA02 000000908" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [("hello", "must start with a 106-character ISA"),
     ("ISA*00*" + "x" * 120, "ISA has"),
     ],
)
def test_garbage_is_an_x12_error(text: str, message: str) -> None:
    with pytest.raises(X12Error, match=message):
        parse_interchanges(text)


def test_truncated_file_is_an_x12_error() -> None:
    text = (SAMPLES / "837p_lfh_example1_X222A1.x12").read_text()
    with pytest.raises(X12Error, match="without IEA"):
        parse_interchanges(text[: text.index("GE*")])


def test_crlf_files_round_trip_and_parse() -> None:
    text = (SAMPLES / "837p_lfh_example1_X222A1.x12").read_text().replace("~\n", "~\r\n")
    delimiters, segments = tokenize(text)
    assert write_segments(segments, delimiters) == text
    assert all(s.trailer == "\r\n" for s in segments[:-1])
    assert parse_interchanges(text)[0].problems() == []


def test_two_interchanges_in_one_file_with_different_delimiters() -> None:
    first = (SAMPLES / "837p_lfh_example1_X222A1.x12").read_text()
    second = (SAMPLES / "835_pyx12_mult_loops.x12").read_text()
    # Re-delimit the second interchange: '|' for elements, '>' for components.
    isa, rest = second[:106], second[106:]
    second = isa.replace("*", "|")[:-2] + ">~" + rest.replace("*", "|").replace(":", ">")
    found = parse_interchanges(first + second)
    assert [i.delimiters.element for i in found] == ["*", "|"]
    assert [t.kind for i in found for t in i.transactions()] == ["837", "835"]
    assert all(i.problems() == [] for i in found)
