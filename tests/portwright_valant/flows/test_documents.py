"""Uploading an intake form to a chart, in both UI versions, checked in the database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from portwright.exceptions import PortalValidationError, StepError

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_upload_an_intake_form_to_a_chart(portal: Portal, tmp_path: Path) -> None:
    patient = portal.query("SELECT id FROM patients ORDER BY id LIMIT 1 OFFSET 5")[0][0]
    form = tmp_path / "intake-form.pdf"
    form.write_bytes(PDF)
    result = await portal.run("valant.documents.upload", {
        "patient_id": patient, "file": str(form), "title": "Intake packet (signed)"})
    [document] = result.outputs["Document"]
    row = portal.query("SELECT * FROM documents WHERE id = ?", document.document_id)[0]
    assert bytes(row["content"]) == PDF
    assert document.to_json_dict() == {
        "documentId": row["id"], "patientId": patient, "documentType": row["kind"],
        "title": row["title"], "fileName": row["filename"],
        "contentType": row["content_type"], "sizeBytes": row["size"], "sha256": None,
        "uploadedBy": None, "uploadedAt": row["uploaded_at"]}
    assert (row["kind"], row["title"], row["filename"], row["content_type"]) == \
        ("intake", "Intake packet (signed)", "intake-form.pdf", "application/pdf")


async def test_a_refused_file_is_a_validation_error_and_nothing_is_filed(
    portal: Portal, tmp_path: Path
) -> None:
    patient = portal.query("SELECT id FROM patients ORDER BY id LIMIT 1 OFFSET 6")[0][0]
    notes = tmp_path / "notes.txt"
    notes.write_text("not a PDF")
    before = portal.query("SELECT count(*) FROM documents")[0][0]
    with pytest.raises(PortalValidationError) as caught:
        await portal.run("valant.documents.upload", {
            "patient_id": patient, "file": str(notes), "title": "Notes"})
    assert any(m.startswith("file:") and "PDF" in m for m in caught.value.messages)
    assert portal.query("SELECT count(*) FROM documents")[0][0] == before


async def test_an_error_page_after_the_upload_is_an_error_and_nothing_is_filed(
    portal: Portal, tmp_path: Path
) -> None:
    patient = portal.query("SELECT id FROM patients ORDER BY id LIMIT 1 OFFSET 7")[0][0]
    form = tmp_path / "consent.pdf"
    form.write_bytes(PDF)
    title = f"Consent ({portal.version})"
    with pytest.raises(StepError, match="may or may not have landed"):
        await portal.run_losing_first_post("valant.documents.upload", {
            "patient_id": patient, "file": str(form), "title": title},
            "**/documents", when="before")
    assert portal.faults_seen == ["before"]
    # it used to fail on the next step with "list object has no element 0"
    assert portal.query("SELECT id FROM documents WHERE title = ?", title) == []
