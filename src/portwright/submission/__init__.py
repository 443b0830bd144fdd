"""Delivering claim files to where payers get them, exactly once per reference id.

A channel moves bytes (``sftp`` to a clearinghouse drop, ``portal_upload`` through the
portal's claims upload page). The ``SubmissionLedger`` remembers, per reference id, what
was sent, where, and whether it landed, so a retried submission never sends twice.
"""

from __future__ import annotations

from portwright.submission.channel import AsyncSubmissionChannel, Delivery, SubmissionChannel
from portwright.submission.ledger import LedgerEntry, SubmissionLedger
from portwright.submission.sftp import SftpChannel, SftpSettings
from portwright.submission.submit import (
    SubmissionReceipt,
    submit_claims,
    submit_claims_async,
    submit_file,
    submit_file_async,
)

__all__ = [
    "AsyncSubmissionChannel",
    "Delivery",
    "LedgerEntry",
    "SftpChannel",
    "SftpSettings",
    "SubmissionChannel",
    "SubmissionLedger",
    "SubmissionReceipt",
    "submit_claims",
    "submit_claims_async",
    "submit_file",
    "submit_file_async",
]
