"""Which form and JSON fields a kept trace blanks by name: credentials and one-time
codes, never the data a person debugging a run needs to read."""

from __future__ import annotations

import pytest

from portwright.runner.trace_scrub import SECRET_FIELD


@pytest.mark.parametrize("name", ["password", "new_password", "csrf_token", "csrfToken",
                                  "authenticity_token", "client_secret", "code", "otp",
                                  "mfa_code", "totp-code", "pin", "X-XSRF-TOKEN"])
def test_credentials_and_one_time_codes_are_blanked(name: str) -> None:
    assert SECRET_FIELD.search(name)


@pytest.mark.parametrize("name", ["zip_code", "cpt_code", "diagnosis_codes", "service_codes",
                                  "place_of_service", "postal_code", "username", "next",
                                  "pinned", "tokens_used_count", "codename"])
def test_data_fields_stay_readable(name: str) -> None:
    assert not SECRET_FIELD.search(name)
