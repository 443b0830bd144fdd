"""Settings, read from one object with named precedence.

Precedence, lowest to highest (named as in Scrapy, so a reader can say *why* a value
won)::

    default < workspace < environment < cmdline

* ``default``: the field defaults below;
* ``workspace``: ``[tool.portwright]`` in ``pyproject.toml`` or ``portwright.toml``;
* ``environment``: ``PORTWRIGHT_<FIELD>`` variables (e.g. ``PORTWRIGHT_FLOWS``);
* ``cmdline``: keyword arguments given by the CLI or the Python API.

An unknown key in the workspace file is an error that names the file, the line, the key
and the known keys, so a misspelling never silently falls back to a default; so is an
unknown (or not upper-case) ``PORTWRIGHT_*`` variable. A value of the wrong type or out of
range is an error naming where it was set (``<file>:<line>``, the variable or the command
line), the value, what is wrong and what the setting accepts.

Each value's source is recorded when the settings are built: ``Settings.source(name)`` /
``origin(name)`` for one, ``Settings.effective()`` for all (what ``doctor`` can show).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Self

from pydantic import Field, PrivateAttr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from portwright.artifact_privacy import ArtifactPrivacy
from portwright.exceptions import ConfigError, PortwrightError
from portwright.recording.record_mode import RecordMode, validate_record_mode
from portwright.setting_sources import (
    CMDLINE,
    DEFAULT,
    PYTHON,
    EffectiveSetting,
    Precedence,
    SettingSource,
    expected_of,
    from_variable,
    from_workspace,
    shown_value,
)
from portwright.workspace import WorkspaceFile, find_workspace_file

__all__ = ["EffectiveSetting", "Precedence", "SettingSource", "Settings", "expected_value",
           "load_settings"]


#: the workspace file the settings being built read (set by :func:`load_settings`)
_CURRENT_WORKSPACE: ContextVar[WorkspaceFile | None] = ContextVar("_CURRENT_WORKSPACE",
                                                                  default=None)


def _variable_of(name: str) -> str | None:
    """The environment variable that sets ``name``, as pydantic-settings reads it (the
    name in any case), or None."""
    wanted = f"PORTWRIGHT_{name.upper()}"
    return next((v for v in sorted(os.environ) if v.upper() == wanted), None)


def _sources(given: Mapping[str, Any], workspace: WorkspaceFile | None,
             given_as: SettingSource = PYTHON) -> dict[str, SettingSource]:
    """Where each setting in effect came from, by the precedence the settings are built
    with (cmdline > environment > workspace > default); ``given`` values are ``given_as``."""
    sources: dict[str, SettingSource] = {}
    keys = {k.replace("-", "_"): k for k in workspace.table} if workspace else {}
    for name in (*Settings.model_fields, *(k for k in given if k not in Settings.model_fields)):
        variable = _variable_of(name)
        if name in given:
            sources[name] = given_as
        elif variable is not None:
            sources[name] = from_variable(variable)
        elif workspace is not None and name in keys:
            sources[name] = from_workspace(workspace, keys[name])
        else:
            sources[name] = DEFAULT
    return sources


def _invalid_in_file(workspace: WorkspaceFile, key: str, problem: str,
                     expected: str) -> ConfigError:
    return ConfigError(
        f"{workspace.where(key)}: invalid setting {key} = {shown_value(workspace.table[key])}: "
        f"{problem}; expected {expected}",
        hint="fix the value on that line",
    )


class _WorkspaceSource(PydanticBaseSettingsSource):
    """Values from the workspace file, with paths made absolute against its root."""

    def __init__(self, settings_cls: type[BaseSettings], workspace: WorkspaceFile | None):
        super().__init__(settings_cls)
        self._workspace = workspace

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError  # __call__ does all the work

    def __call__(self) -> dict[str, Any]:
        workspace = self._workspace
        if workspace is None:
            return {}
        known = set(self.settings_cls.model_fields) - {"root"}
        values: dict[str, Any] = {}
        written: dict[str, str] = {}
        for key, value in workspace.table.items():
            norm = key.replace("-", "_")
            if norm == "root":
                raise ConfigError(
                    f"{workspace.where(key)}: '{key}' cannot be set in the workspace file: "
                    f"the workspace root is the folder that holds it ({workspace.root})",
                    hint="move the file to the folder you meant, or set PORTWRIGHT_ROOT",
                )
            if norm not in known:
                close = difflib.get_close_matches(norm, sorted(known), n=1)
                suggestion = f"did you mean '{close[0]}'? " if close else ""
                raise ConfigError(
                    f"{workspace.where(key)}: unknown key '{key}' in {workspace.table_name}",
                    hint=f"{suggestion}known keys: {', '.join(sorted(known))}",
                )
            if norm in written:
                raise ConfigError(
                    f"{workspace.where(key)}: '{key}' sets '{norm}' again "
                    f"(as '{written[norm]}' at {workspace.where(written[norm])})",
                    hint="keep one of the two lines",
                )
            annotation = self.settings_cls.model_fields[norm].annotation
            if isinstance(value, bool) and annotation in (int, float):
                # TOML has numbers: `true` for a number is a mistake, not 1
                raise _invalid_in_file(workspace, key, "a boolean is not a number",
                                       expected_value(norm))
            written[norm] = key
            values[norm] = value
        return values


def expected_value(name: str) -> str:
    """What setting ``name`` accepts, in words, for error messages."""
    field = Settings.model_fields.get(name)
    if field is None:
        return f"one of the settings {', '.join(sorted(Settings.model_fields))}"
    return expected_of(field)


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

    #: where each setting's value came from (recorded when the settings are built)
    _sources: dict[str, SettingSource] = PrivateAttr(default_factory=dict)

    def __init__(self, **values: Any) -> None:
        """Build the settings and record where each value came from: the arguments, the
        variables and the workspace file read now (not found again later: the file may
        have changed, or these settings may not have read it at all)."""
        super().__init__(**values)
        self._sources = _sources(values, _CURRENT_WORKSPACE.get())

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Self:
        """A copy whose updated values are said to be given in Python (not to come from
        where the original's did)."""
        copy = super().model_copy(update=update, deep=deep)
        copy._sources = {**self._sources, **{name: PYTHON for name in update or {}}}
        return copy

    @field_validator("record_mode", mode="before")
    @classmethod
    def _strict_record_mode(cls, value: object) -> RecordMode:
        """A typo fails when the settings load, naming the valid modes (as in vcrpy)."""
        return validate_record_mode(value if isinstance(value, RecordMode) else str(value))

    @field_validator("root")
    @classmethod
    def _absolute_root(cls, value: Path) -> Path:
        """The root is absolute (``~`` expanded), so every folder resolves against the
        same place whatever the current folder is later."""
        return value.expanduser().resolve()

    @field_validator("flows", "selectors", "recordings", "adapters", "artifacts", "state")
    @classmethod
    def _home_expanded(cls, value: Path) -> Path:
        """``~/x`` means the home folder, as in a shell: not a folder named ``~`` in the
        workspace."""
        return value.expanduser()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # First wins: cmdline > environment > workspace > defaults.
        return init_settings, env_settings, _WorkspaceSource(settings_cls,
                                                             _CURRENT_WORKSPACE.get())

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

    def source(self, name: str) -> SettingSource:
        """Where the value of setting ``name`` came from (``KeyError`` for a name that is
        not a setting)."""
        if name not in type(self).model_fields:
            raise KeyError(name)
        return self._sources.get(name, DEFAULT)

    def origin(self, name: str) -> str:
        """Where the value of setting ``name`` came from, for messages: ``from the
        command line``, ``from PORTWRIGHT_<NAME>``, ``<key> = <value> in <file>`` or
        ``the default`` (a person fixes a value where it was set, not where it is used)."""
        return self.source(name).origin

    def effective(self) -> list[EffectiveSetting]:
        """Every setting, its value in effect and where that came from, in the order the
        settings are declared: what ``portwright doctor`` can show, so that a person can
        say why a value won (folders are shown as the absolute path used)."""
        return [EffectiveSetting(name, self.path(name) if isinstance(value, Path) else value,
                                 self.source(name))
                for name, value in ((n, getattr(self, n)) for n in type(self).model_fields)]


def _workspace_at(root: Path) -> WorkspaceFile | None:
    """The workspace file of the folder ``root`` itself (none found above it counts: its
    folders would resolve against another root than the one in effect)."""
    workspace = find_workspace_file(root)
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
    workspace file is: otherwise ``PORTWRIGHT_FLWOS`` would silently leave the default.
    So is one not in upper case: the settings would read ``portwright_flows`` but the
    secrets would not read ``portwright_secret_x``, and no message would name either."""
    settings = {f"PORTWRIGHT_{name.upper()}" for name in Settings.model_fields}
    known = settings | set(OTHER_VARIABLES)
    for variable in sorted(os.environ):
        if variable.upper().startswith("PORTWRIGHT_") and variable != variable.upper():
            upper = variable.upper()
            meant = upper if upper in known or upper.startswith(VARIABLE_FAMILIES) else \
                next(iter(difflib.get_close_matches(upper, sorted(known), n=1)), upper)
            raise ConfigError(f"environment variable {variable} is not in upper case",
                              hint=f"did you mean {meant}? portwright reads PORTWRIGHT_* "
                                   "variables by their upper-case names only")
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


def _explicit_workspace(root: Any, source: SettingSource) -> WorkspaceFile | None:
    """The workspace file of a root named on the command line or by ``PORTWRIGHT_ROOT``,
    which must be a folder; a file there that does not parse is an error, as it is when
    found by walking up (it is not skipped for the defaults)."""
    folder = Path(root).expanduser().resolve()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ConfigError(f"the workspace root {folder} ({source.origin}) {what}",
                          hint="name the folder that holds the workspace file")
    return _workspace_at(folder)


def _problem(error: Mapping[str, Any], sources: Mapping[str, SettingSource],
             workspace: WorkspaceFile | None) -> str:
    """One invalid value: what is wrong and what the setting accepts, after where it was
    set: ``<file>:<line>: invalid setting <key> = <value>`` for the workspace file,
    ``invalid setting <name> (from PORTWRIGHT_<NAME>) = <value>`` for a variable,
    ``invalid setting <name> (from the command line) = <value>`` for an argument."""
    loc = error.get("loc") or ("",)
    name = str(loc[0])
    source = sources.get(name, DEFAULT)
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, PortwrightError):
        message = cause.message  # its hint would repeat what `expected` says
    else:
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    if error.get("type") == "extra_forbidden":
        close = difflib.get_close_matches(name, sorted(Settings.model_fields), n=1)
        message = "no such setting" + (f" (did you mean '{close[0]}'?)" if close else "")
    if source.level is Precedence.WORKSPACE and workspace is not None:
        key = next(k for k in workspace.table if k.replace("-", "_") == name)
        where = f"{source.place}: invalid setting {key} = {shown_value(workspace.table[key])}"
    else:
        where = f"invalid setting {name} ({source.origin}) = {shown_value(error.get('input'))}"
    return f"{where}: {message}; expected {expected_value(name)}"


def load_settings(start: Path | None = None, **cmdline: Any) -> Settings:
    """Build the settings for the workspace around ``start`` (default: cwd).

    ``cmdline`` values (``None`` means "not given") override everything else. A root given
    on the command line or as ``PORTWRIGHT_ROOT`` is the workspace: its own file is read
    (not the one around ``start``), so every folder resolves against the file's root; the
    folder must exist.
    """
    _check_variables()
    given = {k: v for k, v in cmdline.items() if v is not None}
    variable = _variable_of("root")
    explicit_root = given.get("root") or (os.environ.get(variable) if variable else None)
    root_source: SettingSource | None = None
    if explicit_root:
        source = CMDLINE if "root" in given else from_variable(str(variable))
        workspace = _explicit_workspace(explicit_root, source)
    else:
        workspace = find_workspace_file(start)
        folder = (start or Path.cwd()).expanduser().resolve()
        given["root"] = workspace.root if workspace else folder
        root_source = SettingSource(Precedence.WORKSPACE, str(workspace.path),
                                    f"the folder of {workspace.path}") if workspace else \
            SettingSource(Precedence.DEFAULT, "default",
                          f"the folder {folder} (no workspace file in it or above it)")
    token = _CURRENT_WORKSPACE.set(workspace)
    try:
        settings = Settings(**given)
    except ValidationError as exc:
        sources = _sources(given, workspace, CMDLINE)
        problems = [_problem(err, sources, workspace) for err in exc.errors()]
        raise ConfigError(
            "\n".join(problems),
            hint="fix each value where it is set: the workspace file's line, the "
                 "PORTWRIGHT_* variable or the command-line option",
        ) from exc
    finally:
        _CURRENT_WORKSPACE.reset(token)
    settings._sources.update({name: CMDLINE for name in given})
    if root_source is not None:
        settings._sources["root"] = root_source
    return settings
