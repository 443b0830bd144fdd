"""Small pieces the channels share: code patterns and masked phone numbers."""

from __future__ import annotations

import pytest

from portwright.auth.mfa import mask_number
from portwright.auth.mfa.extraction import compile_pattern, extract_code
from portwright.exceptions import MfaError


def test_code_is_taken_from_the_group_or_the_whole_match() -> None:
    text = "Ref 2024-11. Your Valant verification code is 048213. It expires in 10 minutes."
    assert extract_code(text, compile_pattern(r"code is (\d{6})")) == "048213"
    assert extract_code(text, compile_pattern(r"\b\d{6}\b")) == "048213"
    assert extract_code("no digits here", compile_pattern(r"(\d{6})")) is None


def test_bad_patterns_are_refused_with_a_reason() -> None:
    with pytest.raises(MfaError, match="invalid code pattern"):
        compile_pattern(r"code is (\d{6}")
    with pytest.raises(MfaError, match="has 2 groups"):
        compile_pattern(r"(code) is (\d{6})")


def test_numbers_are_masked_to_their_last_four_digits() -> None:
    assert mask_number("+15555550123") == "+1••••••0123"
    assert mask_number("(555) 555-0123").endswith("0123")
    assert "555555" not in mask_number("(555) 555-0123")
    assert mask_number("123") == "•••"
