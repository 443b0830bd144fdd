"""The fake Twilio's message list pages by keyset, as Twilio's does: a text sent while a
client pages through the newest-first list does not bring a message it read back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from portwright_valant.testing import SandboxHandle

PHONE = "+15035550123"


@pytest.fixture
def portal(make_sandbox: Callable[..., SandboxHandle]) -> SandboxHandle:
    return make_sandbox(patients=0)


@pytest.fixture
def twilio(portal: SandboxHandle) -> Iterator[httpx.Client]:
    """Signed in as the SMS provider's API is: Basic auth with the account SID and token."""
    with closing(httpx.Client(auth=(portal.config.twilio_account_sid,
                                    portal.config.twilio_auth_token),
                              timeout=30)) as client:
        yield client


def _root(portal: SandboxHandle) -> str:
    return f"{portal.url}/twilio/2010-04-01/Accounts/{portal.config.twilio_account_sid}"


def send(client: httpx.Client, portal: SandboxHandle, body: str) -> str:
    response = client.post(f"{_root(portal)}/Messages.json",
                           data={"To": PHONE, "From": "+15005550006", "Body": body})
    assert response.status_code == 201, response.text
    sid: str = response.json()["sid"]
    return sid


def get(client: httpx.Client, portal: SandboxHandle, uri: str) -> dict[str, Any]:
    """A list page; ``uri`` as Twilio gives it (relative to the API root)."""
    response = client.get(f"{portal.url}/twilio{uri}")
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def test_a_text_sent_while_paging_repeats_no_message(
    portal: SandboxHandle, twilio: httpx.Client
) -> None:
    for n in range(7):
        send(twilio, portal, f"message {n}")
    before = [r["sid"] for r in portal.query(
        "SELECT sid FROM sms_messages ORDER BY date_created DESC, sid DESC")]
    first_uri = f"/2010-04-01/Accounts/{portal.config.twilio_account_sid}/Messages.json" \
                f"?To={PHONE.replace('+', '%2B')}&PageSize=3"
    page = get(twilio, portal, first_uri)
    seen = [m["sid"] for m in page["messages"]]
    send(twilio, portal, "a new code, sent meanwhile")
    while page["next_page_uri"]:
        page = get(twilio, portal, page["next_page_uri"])
        seen += [m["sid"] for m in page["messages"]]
    assert seen == before


def test_previous_page_goes_back_to_the_same_messages(
    portal: SandboxHandle, twilio: httpx.Client
) -> None:
    for n in range(5):
        send(twilio, portal, f"message {n}")
    first = get(twilio, portal, f"/2010-04-01/Accounts/{portal.config.twilio_account_sid}"
                                "/Messages.json?PageSize=2")
    assert first["previous_page_uri"] is None
    second = get(twilio, portal, first["next_page_uri"])
    back = get(twilio, portal, second["previous_page_uri"])
    assert [m["sid"] for m in back["messages"]] == [m["sid"] for m in first["messages"]]
    assert back["next_page_uri"] is not None


@pytest.mark.parametrize("token", ["PA12", "PAnot-a-token.x", "XX", "PB"])
def test_a_page_token_the_api_did_not_issue_is_a_400(
    portal: SandboxHandle, twilio: httpx.Client, token: str
) -> None:
    send(twilio, portal, "hello")
    response = twilio.get(f"{_root(portal)}/Messages.json",
                          params={"PageSize": "1", "PageToken": token})
    assert response.status_code == 400
    assert response.json()["message"].startswith("PageToken is invalid")
