"""Fixtures shared by the CLI tests that check what happens before a browser opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from portwright.exceptions import ConfigError
from portwright.runner import browser_pool

ROOT = Path(__file__).resolve().parents[3]  # the repository: the Valant flows


@pytest.fixture
def refused_launches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to start a browser (each is refused, failing the command)."""
    seen: list[str] = []

    async def refused(*args: object, **kwargs: object) -> None:
        seen.append("browser")
        raise ConfigError("a browser was started")

    monkeypatch.setattr(browser_pool, "acquire", refused)
    return seen


@pytest.fixture
def valant_without_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's workspace with its own state, secrets file and artifacts folder,
    and credentials given; no ``base_url`` anywhere. Returns the artifacts folder."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PORTWRIGHT_SECRET_VALANT_BASE_URL", raising=False)
    monkeypatch.delenv("PORTWRIGHT_SECRET_VALANT_DEVADMIN_BASE_URL", raising=False)
    for name, value in {"PORTWRIGHT_STATE": str(tmp_path / "state"),
                        "PORTWRIGHT_SECRETS_FILE": str(tmp_path / "secrets.fernet"),
                        "PORTWRIGHT_ARTIFACTS": str(tmp_path / "artifacts"),
                        "PORTWRIGHT_SECRET_VALANT_USERNAME": "devadmin",
                        "PORTWRIGHT_SECRET_VALANT_PASSWORD": "pw",
                        "COLUMNS": "250"}.items():
        monkeypatch.setenv(name, value)
    return tmp_path / "artifacts"


#: a flow of a portal of its own, which reads no URL and needs no adapter before the browser
TOY_FLOW = """flow: toy.hello
outputs:
  said: {value: said}
steps:
  - {action: set, values: {said: "hello"}}
"""


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with the toy flow as the current directory: its own state and secrets
    file, no toy URL stored, a wide terminal."""
    (tmp_path / "portwright.toml").write_text('artifacts = "out/artifacts"\n')
    (tmp_path / "flows" / "toy").mkdir(parents=True)
    (tmp_path / "flows" / "toy" / "hello.yaml").write_text(TOY_FLOW)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("PORTWRIGHT_SECRETS_FILE", str(tmp_path / "secrets.fernet"))
    monkeypatch.delenv("PORTWRIGHT_SECRET_TOY_BASE_URL", raising=False)
    monkeypatch.delenv("PORTWRIGHT_SECRET_TOY_REC_BASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return tmp_path
