"""Uploading documents (intake forms, consents) to a chart, and downloading them."""

from __future__ import annotations

import sqlite3
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from portwright_valant.sandbox.auth import User, require_role
from portwright_valant.sandbox.csrf import verify_csrf
from portwright_valant.sandbox.ids import new_id, utc_now
from portwright_valant.sandbox.pages.chart import TABS, load_patient
from portwright_valant.sandbox.pages.dependencies import ALL_ROLES, db, state_of
from portwright_valant.sandbox.templating import render

__all__ = ["ACCEPTED_TYPES", "MAX_BYTES", "router"]

MAX_BYTES = 5 * 1024 * 1024
#: content type → the file signature it must start with
ACCEPTED_TYPES: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
}
KINDS = ("intake", "consent", "release", "other")
router = APIRouter()


@router.post("/patients/{patient_id}/documents", response_class=HTMLResponse,
             dependencies=[Depends(verify_csrf)])
async def upload_document(
    request: Request,
    patient_id: str,
    conn: Annotated[sqlite3.Connection, Depends(db)],
    user: Annotated[User, Depends(require_role("admin", "scheduler", "clinician"))],
) -> Response:
    patient = load_patient(conn, patient_id)
    form = await request.form()
    errors: dict[str, str] = {}
    kind = str(form.get("kind") or "")
    title = str(form.get("title") or "").strip()
    upload = form.get("file")
    if kind not in KINDS:
        errors["kind"] = "Choose a document type"
    if not title:
        errors["title"] = "Title is required"
    content = b""
    filename = ""
    content_type = ""
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = "Choose a file to upload"
    else:
        content = await upload.read(MAX_BYTES + 1)
        filename = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        content_type = next((t for t, sig in ACCEPTED_TYPES.items() if content.startswith(sig)),
                            "")
        if not content:
            errors["file"] = "The file is empty"
        elif len(content) > MAX_BYTES:
            errors["file"] = "Files must be 5 MB or smaller"
        elif not content_type:
            errors["file"] = "Only PDF, PNG or JPEG files are accepted"
    state = state_of(request)
    if errors:
        documents = conn.execute(
            "SELECT id, kind, title, filename, content_type, size, uploaded_by, uploaded_at "
            "FROM documents WHERE patient_id = ? ORDER BY uploaded_at DESC",
            (patient_id,)).fetchall()
        return render(request, state, "chart.html", active_nav="patients", patient=patient,
                      tab="documents", tabs=TABS, documents=documents, errors=errors,
                      form={"kind": kind, "title": title}, status_code=422)
    with state.write_lock, conn:
        doc_id = new_id(conn, "doc", "documents")
        conn.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (doc_id, patient_id, kind, title, filename, content_type, len(content),
                      content, user.username, utc_now()))
        conn.execute("UPDATE patients SET updated_at = ? WHERE id = ?", (utc_now(), patient_id))
    return RedirectResponse(
        f"/patients/{patient_id}?tab=documents&flash={quote('Document uploaded')}",
        status_code=303)


@router.get("/documents/{document_id}",
            dependencies=[Depends(require_role(*ALL_ROLES))])
def download_document(
    document_id: str, conn: Annotated[sqlite3.Connection, Depends(db)]
) -> Response:
    row = conn.execute("SELECT filename, content_type, content FROM documents WHERE id = ?",
                       (document_id,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail=f"No document with id {document_id}")
    return Response(row["content"], media_type=row["content_type"], headers={
        "Content-Disposition": _content_disposition(row["filename"])})


def _header_safe(char: str) -> bool:
    """A character the quoted ``filename`` parameter carries as is (printable ASCII)."""
    return " " <= char <= "~" and char not in '"\\'


def _content_disposition(filename: str) -> str:
    """The download header for ``filename`` as a real portal sends it (RFC 6266).

    Header values are Latin-1, so a name such as ``Zoë 王芳.pdf`` cannot go in the plain
    ``filename`` parameter (Starlette refuses it and the download fails with a server
    error), and a quote in the name would end the parameter early: such a name gets an
    ASCII stand-in there and the exact name, UTF-8 percent-encoded, in ``filename*``,
    which browsers prefer. A plain ASCII name is sent as it always was.
    """
    if all(map(_header_safe, filename)):
        return f'attachment; filename="{filename}"'
    fallback = "".join(c if _header_safe(c) else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
