"""Downloading a document whose file name is not plain ASCII, over real HTTP.

The name a user uploaded is kept in the database; the download must answer (not fail
with a server error) and give the browser that exact name back (RFC 6266 ``filename*``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing
from urllib.parse import unquote

import httpx
import pytest

from portwright_valant.testing import SandboxHandle, csrf_of, http_session

PDF = b"%PDF-1.4\n% consent form\n%%EOF\n"


@pytest.fixture(scope="module")
def admin(sandbox: SandboxHandle) -> Iterator[httpx.Client]:
    with closing(http_session(sandbox)) as client:
        yield client


def upload(sandbox: SandboxHandle, admin: httpx.Client, filename: str) -> str:
    patient = sandbox.scalar("SELECT id FROM patients ORDER BY mrn LIMIT 1 OFFSET 4")
    token = csrf_of(admin.get(f"/patients/{patient}?tab=documents").text)
    filed = admin.post(f"/patients/{patient}/documents",
                       data={"csrf_token": token, "kind": "consent", "title": filename},
                       files={"file": (filename, PDF, "application/pdf")})
    assert filed.status_code == 200
    return str(sandbox.scalar("SELECT id FROM documents WHERE title = ?", filename))


def name_a_browser_saves(disposition: str) -> str:
    """The file name a browser takes from the header: ``filename*`` (RFC 5987: charset,
    language, percent-encoded bytes) wins over the quoted ``filename``."""
    extended = re.search(r"filename\*=([\w-]+)'[^']*'([^;\s]+)", disposition)
    if extended:
        return unquote(extended.group(2), encoding=extended.group(1), errors="strict")
    plain = re.search(r'filename="((?:[^"\\]|\\.)*)"', disposition)
    assert plain is not None, disposition
    return re.sub(r"\\(.)", r"\1", plain.group(1))


@pytest.mark.parametrize("filename", [
    "Zoë's consent 王芳.pdf", 'Consent "final" v2.pdf', "Ωmega résumé; 100%.pdf"])
def test_a_file_name_in_any_script_downloads_under_its_own_name(
        sandbox: SandboxHandle, admin: httpx.Client, filename: str) -> None:
    document = upload(sandbox, admin, filename)
    stored = sandbox.query("SELECT filename, content FROM documents WHERE id = ?", document)[0]
    download = admin.get(f"/documents/{document}")
    assert download.status_code == 200
    assert download.content == bytes(stored["content"]) == PDF
    assert name_a_browser_saves(download.headers["content-disposition"]) == \
        stored["filename"]


def test_a_plain_file_name_is_sent_as_before(sandbox: SandboxHandle,
                                             admin: httpx.Client) -> None:
    document = upload(sandbox, admin, "intake packet.pdf")
    download = admin.get(f"/documents/{document}")
    assert download.headers["content-disposition"] == 'attachment; filename="intake packet.pdf"'
