"""A tiny, valid one-page PDF writer for generated intake forms.

No dependency: a PDF page of a few text lines is ~700 bytes of well-formed objects with
a correct cross-reference table, which any viewer (and the browser's download) accepts.
"""

from __future__ import annotations

__all__ = ["intake_pdf", "text_pdf"]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(lines: list[str]) -> bytes:
    """A single-page PDF showing ``lines`` in Helvetica, top to bottom."""
    stream_lines = ["BT", "/F1 12 Tf", "72 720 Td", "16 TL"]
    for line in lines:
        safe = _escape(line.encode("latin-1", "replace").decode("latin-1"))
        stream_lines.append(f"({safe}) Tj T*")
    stream_lines.append("ET")
    stream = "\n".join(stream_lines).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def intake_pdf(title: str, patient_name: str, mrn: str, dob: str, signed_on: str) -> bytes:
    """The generated intake/consent form for one patient."""
    return text_pdf([
        "Cascadia Behavioral Health",
        title,
        f"Patient: {patient_name}",
        f"MRN: {mrn}    Date of birth: {dob}",
        f"Signed electronically on {signed_on}",
    ])
