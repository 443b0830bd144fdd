"""Settings, read from one object with named precedence.

Precedence, lowest to highest (named as in Scrapy, so a reader can say *why* a value
won)::

    default < workspace < environment < cmdline

* ``default``: the field defaults below;
* ``workspace``: ``[tool.portwright]`` in ``pyproject.toml`` or ``portwright.toml``;
* ``environment``: ``PORTWRIGHT_<FIELD>`` variables (e.g. ``PORTWRIGHT_FLOWS``);
* ``cmdline``: keyword arguments given by the CLI or the Python API.

An unknown key in the workspace file is an error that names the file, the key and the
known keys, so a misspelling never silently falls back to a default.
"""

from __future__ import annotations

import difflib
import json
import os
from enum import IntEnum
from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from portwright.artifact_privacy import ArtifactPrivacy
from portwright.exceptions import ConfigError
from portwright.recording.record_mode import RecordMode, validate_record_mode
from portwright.workspace import WorkspaceFile, find_workspace_file

__all__ = ["Precedence", "Settings", "load_settings"]


class Precedence(IntEnum):
    """Named precedence levels: a higher level overrides a lower one."""

    DEFAULT = 0
    WORKSPACE = 10
    ENVIRONMENT = 20
    CMDLINE = 30


class _WorkspaceSource(PydanticBaseSettingsSource):
    """Values from the workspace file, with paths made absolute against its root."""

    def __init__(self, settings_cls: type[BaseSettings], workspace: WorkspaceFile | None):
        super().__init__(settings_cls)
        self._workspace = workspace

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError  # __call__ does all the work

    def __call__(self) -> dict[str, Any]:
        if self._workspace is None:
            return {}
        known = set(self.settings_cls.model_fields) - {"root"}
        values: dict[str, Any] = {}
        for key, value in self._workspace.table.items():
            norm = key.replace("-", "_")
            if norm == "root":
                raise ConfigError(
                    f"{self._workspace.path}: '{key}' cannot be set in the workspace file: "
                    f"the workspace root is the folder that holds it ({self._workspace.root})",
                    hint="move the file to the folder you meant, or set PORTWRIGHT_ROOT",
                )
            if norm not in known:
                close = difflib.get_close_matches(norm, sorted(known), n=1)
                suggestion = f"did you mean '{close[0]}'? " if close else ""
                raise ConfigError(
                    f"{self._workspace.path}: unknown key '{key}' in [tool.portwright]",
                    hint=f"{suggestion}known keys: {', '.join(sorted(known))}",
                )
            values[norm] = value
        return values


class Settings(BaseSettings):
    """Where the workspace keeps things, and how runs behave by default."""

    model_config = SettingsConfigDict(env_prefix="PORTWRIGHT_", extra="forbid")

    root: Path = Field(default_factory=Path.cwd, description="Workspace root folder.")
    flows: Path = Field(default=Path("flows"), description="Folder of flow YAML files.")
    selectors: Path = Field(default=Path("selectors"), description="Folder of selector maps.")
    recordings: Path = Field(default=Path("recordings"), description="Recorded fixtures.")
    adapters: Path = Field(default=Path("adapters"), description="Adapter packages.")
    artifacts: Path = Field(
        default=Path(".portwright/artifacts"),
        description="Screenshots, traces and step logs of failed runs.",
    )
    state: Path = Field(
        default=Path(".portwright/state"),
        description="Encrypted sessions, MFA bookkeeping and locks.",
    )
    browser: str | None = Field(
        default=None, description="Browser executable to use instead of discovery."
    )
    headless: bool = True
    step_timeout_ms: int = Field(default=15_000, gt=0)
    resolution_reuse_s: float = Field(
        default=60.0, ge=0,
        description="Seconds a session reuses which strategy found a name on a page, "
        "instead of counting again (0: count every resolution, as a drift monitor wants).",
    )
    page_recycle_runs: int = Field(
        default=100, ge=0,
        description="Runs a session's page serves before the session swaps it for a new "
        "page in the same context (cookies and login kept), between runs: Chromium keeps "
        "memory of every document one page showed, so a long-lived engine's renderer "
        "otherwise grows with each run (0: never recycle).")
    artifact_privacy: ArtifactPrivacy = Field(
        default=ArtifactPrivacy.MASKED,
        description="What screenshots and failure traces may show of a page: masked (the "
        "layout, with every text, form value and image hidden; no DOM trace on failure) or "
        "full (the page as it is: only for portals without real patients).")
    record_mode: RecordMode = Field(
        default=RecordMode.NONE,
        description="What `portwright record` does by default: none (never records; the CI "
        "default, so `record` then uses once), once, new_episodes, all (alias rewrite).")

    #: names of the settings given on the command line (set by :func:`load_settings`)
    _cmdline: frozenset[str] = PrivateAttr(default=frozenset())

    @field_validator("record_mode", mode="before")
    @classmethod
    def _strict_record_mode(cls, value: object) -> RecordMode:
        """A typo fails when the settings load, naming the valid modes (as in vcrpy)."""
        return validate_record_mode(value if isinstance(value, RecordMode) else str(value))

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        workspace = _CURRENT_WORKSPACE.get("file")
        # First wins: cmdline > environment > workspace > defaults.
        return init_settings, env_settings, _WorkspaceSource(settings_cls, workspace)

    def path(self, name: str) -> Path:
        """The absolute path of a workspace folder setting (``flows``, ``recordings``...)."""
        value = getattr(self, name)
        if not isinstance(value, Path):
            raise ConfigError(f"setting '{name}' is not a folder")
        return value if value.is_absolute() else self.root / value

    def existing_folder(self, name: str) -> Path:
        """:meth:`path`, which must be a folder: otherwise ``ConfigError`` naming the
        setting, where its value came from and the path (a command that reads the folder
        must not report an empty workspace for a misspelled one)."""
        path = self.path(name)
        if path.is_dir():
            return path
        what = "is not a folder" if path.exists() else "does not exist"
        raise ConfigError(
            f"setting '{name}'{self._origin(name)} names the folder {path}, which {what}",
            hint=f"create it (mkdir -p {path}) or set '{name}' to the workspace's folder "
                 f"of {name}",
        )

    def _origin(self, name: str) -> str:
        """`` (<origin>)``, for messages."""
        return f" ({self.origin(name)})"

    def origin(self, name: str) -> str:
        """Where the value of setting ``name`` came from, for messages: ``from the
        command line``, ``from PORTWRIGHT_<NAME>``, ``<key> = <value> in <file>`` or
        ``the default`` (a person fixes a value where it was set, not where it is used)."""
        if name in self._cmdline:
            return "from the command line"
        variable = f"PORTWRIGHT_{name.upper()}"
        if variable in os.environ:
            return f"from {variable}"
        workspace = _workspace_at(self.root)
        if workspace is None:
            return "the default"
        for key, value in workspace.table.items():
            if key.replace("-", "_") == name:
                shown = json.dumps(value) if isinstance(value, str) else repr(value)
                return f"{key} = {shown} in {workspace.path}"
        return "the default"


_CURRENT_WORKSPACE: dict[str, WorkspaceFile | None] = {}


def _source_of(loc: tuple[int | str, ...], given: dict[str, Any],
               workspace: WorkspaceFile | None) -> str:
    """Where the bad value of field ``loc[0]`` came from, by precedence (highest first)."""
    name = str(loc[0]) if loc else ""
    if name in given:
        return " (from the command line)"
    if f"PORTWRIGHT_{name.upper()}" in os.environ:
        return f" (from PORTWRIGHT_{name.upper()})"
    if workspace is not None and name in workspace.table:
        return f" (from {workspace.path.name})"
    return ""


def _workspace_at(root: Path) -> WorkspaceFile | None:
    """The workspace file of the folder ``root`` itself (none found above it counts: its
    folders would resolve against another root than the one in effect)."""
    try:
        workspace = find_workspace_file(root)
    except ConfigError:
        return None
    return workspace if workspace is not None and workspace.root == root.resolve() else None


#: ``PORTWRIGHT_*`` variables read outside :class:`Settings`, by their exact name or as a
#: family (a prefix): credentials, the secrets store, pseudonyms and adapters' sandboxes.
#: An adapter that reads a variable of its own names it ``PORTWRIGHT_SANDBOX_*`` (or uses
#: its own prefix), so that no adapter needs the engine edited (docs/adapters.md).
OTHER_VARIABLES: tuple[str, ...] = ("PORTWRIGHT_PSEUDONYM_KEY", "PORTWRIGHT_SECRETS_FILE",
                                    "PORTWRIGHT_SECRETS_KEY_FILE")
VARIABLE_FAMILIES: tuple[str, ...] = ("PORTWRIGHT_SECRET_", "PORTWRIGHT_SANDBOX_")


def _check_variables() -> None:
    """A misspelled ``PORTWRIGHT_*`` variable is an error, as an unknown key of the
    workspace file is: otherwise ``PORTWRIGHT_FLWOS`` would silently leave the default."""
    settings = {f"PORTWRIGHT_{name.upper()}" for name in Settings.model_fields}
    known = settings | set(OTHER_VARIABLES)
    for variable in sorted(os.environ):
        if not variable.startswith("PORTWRIGHT_") or variable in known or \
                variable.startswith(VARIABLE_FAMILIES):
            continue
        close = difflib.get_close_matches(variable, sorted(known), n=1)
        suggestion = f"did you mean {close[0]}? " if close else ""
        raise ConfigError(
            f"unknown environment variable {variable}",
            hint=f"{suggestion}unset it; portwright reads {', '.join(sorted(settings))}, "
                 f"{', '.join(OTHER_VARIABLES)} and the families "
                 f"{', '.join(f + '*' for f in VARIABLE_FAMILIES)}",
        )


def load_settings(start: Path | None = None, **cmdline: Any) -> Settings:
    """Build the settings for the workspace around ``start`` (default: cwd).

    ``cmdline`` values (``None`` means "not given") override everything else. A root given
    on the command line or as ``PORTWRIGHT_ROOT`` is the workspace: its own file is read
    (not the one around ``start``), so every folder resolves against the file's root.
    """
    _check_variables()
    given = {k: v for k, v in cmdline.items() if v is not None}
    on_cmdline = frozenset(given)
    explicit_root = given.get("root") or os.environ.get("PORTWRIGHT_ROOT")
    if explicit_root:
        workspace = _workspace_at(Path(explicit_root).expanduser())
    else:
        workspace = find_workspace_file(start)
        given["root"] = workspace.root if workspace else (start or Path.cwd()).resolve()
    _CURRENT_WORKSPACE["file"] = workspace
    try:
        settings = Settings(**given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}{_source_of(err['loc'], given, workspace)}"
            f": {err['msg']}" for err in exc.errors()
        )
        where = str(workspace.path) if workspace else "settings"
        raise ConfigError(
            f"{where}: invalid settings: {problems}",
            hint="check [tool.portwright], PORTWRIGHT_* variables and command-line options",
        ) from exc
    finally:
        _CURRENT_WORKSPACE.pop("file", None)
    settings._cmdline = on_cmdline
    return settings
