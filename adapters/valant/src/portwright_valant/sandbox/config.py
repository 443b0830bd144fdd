"""The sandbox's knobs, shared by the CLI, the pytest fixtures and every module of the app.

One dataclass, no globals: two sandboxes with different configs can run in one process
(the tests run a 2025.4 and a 2026.1 portal side by side).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

__all__ = ["APP_VERSIONS", "UI_VERSIONS", "SandboxConfig"]

#: UI version → the full build string a real portal would print in ``<meta name="app-version">``
APP_VERSIONS: dict[str, str] = {"2025.4": "2025.4.7", "2026.1": "2026.1.2"}
UI_VERSIONS: tuple[str, ...] = tuple(APP_VERSIONS)


@dataclass
class SandboxConfig:
    """Everything that changes how one sandbox instance looks and behaves."""

    ui_version: str = "2025.4"
    seed: int = 7
    patients: int = 200
    faults: str = ""
    db_path: Path | None = None  # None → a fresh temporary file
    session_ttl_s: int = 1200
    single_session: bool = False
    lmtp_host: str | None = None
    lmtp_port: int | None = None
    mail_domain: str = "clinic.test"
    twilio_account_sid: str = "AC5a1d0c0ffee0b1e55ed0d06f00d5a7e1"
    twilio_auth_token: str = "sandbox-twilio-auth-token-0000000"
    base_url: str = ""  # set once the server's port is known
    #: the anchor date of the seeded schedule; None → today's real date (UTC)
    today: date | None = None

    def __post_init__(self) -> None:
        if self.ui_version not in APP_VERSIONS:
            known = ", ".join(UI_VERSIONS)
            raise ValueError(f"unknown ui_version {self.ui_version!r}; expected one of {known}")
        if self.patients < 0:
            raise ValueError("patients must be >= 0")
        if self.db_path is not None:
            self.db_path = Path(self.db_path)

    @property
    def app_version(self) -> str:
        """The build string shown in ``<meta name="app-version">``."""
        return APP_VERSIONS[self.ui_version]
