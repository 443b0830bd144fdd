"""Where a recording lives, and the metadata that says what it is.

A recording is a folder ``recordings/<portal>/<flow>/<ui-version>/<scenario>/`` holding:

* ``flow.har``: the browser traffic (Playwright's HAR, content embedded), scrubbed;
* ``cassette.yaml``: a vcrpy cassette of non-browser HTTP (SMS API, direct requests);
* ``golden.json``: the flow's output (entities as JSON, or the error it must raise);
* ``meta.json``: provenance (flow, selector-map and app versions, inputs, when) and
  content hashes, so a hand-edited or truncated file is noticed.

``<flow>`` is the flow name without its portal prefix (``valant.patients.list`` →
``patients.list``), so the portal is not spelled twice in every path.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from portwright.entities.validation import field_problems
from portwright.exceptions import RecordingError
from portwright.recording.json_file import read_har, read_json_object, without_bom

__all__ = [
    "FORMAT_VERSION",
    "RecordingMeta",
    "RecordingPaths",
    "checked_scenario",
    "content_matches",
    "file_sha256",
    "iter_recordings",
    "misplacement",
    "rerecord_command",
]

FORMAT_VERSION = 1
HAR_NAME = "flow.har"
CASSETTE_NAME = "cassette.yaml"
GOLDEN_NAME = "golden.json"
META_NAME = "meta.json"
DEFAULT_SCENARIO = "default"


#: a scenario names one folder: never a path ("../x"), never empty (which would name the
#: UI version's folder, every scenario of it)
_SCENARIO = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def checked_scenario(name: str) -> str:
    """``name`` if it can name a recording's folder, else ``RecordingError``. Recording
    over a scenario replaces its folder, so a name that left the recordings tree (or named
    a parent folder) would delete what it named."""
    if _SCENARIO.fullmatch(name) is None or ".." in name:
        raise RecordingError(
            f"scenario name {name!r} cannot name a recording folder",
            hint="use letters, digits, '.', '_' and '-', starting with a letter or digit "
                 "(e.g. discharged-one-provider)")
    return name


def _flow_folder(portal: str, flow: str) -> str:
    prefix = f"{portal}."
    return flow[len(prefix):] if flow.startswith(prefix) else flow


def misplacement(meta: RecordingMeta, folder: Path) -> str | None:
    """Why the recording in ``folder`` (``<portal>/<flow>/<ui>/<scenario>``) is filed in
    the wrong place for what its ``meta.json`` says, or None. One rule for replay, which
    refuses such a recording, and the audit, which reports it."""
    flow_dir = folder.parent.parent
    portal_dir = flow_dir.parent
    if meta.portal == portal_dir.name and _flow_folder(meta.portal, meta.flow) == flow_dir.name:
        return None
    return (f"meta.json describes {meta.flow} (portal {meta.portal}), but the recording is "
            f"filed under {portal_dir.name}/{flow_dir.name} (damaged)")


@dataclass(frozen=True)
class RecordingPaths:
    """The files of one recording, under a recordings root folder."""

    root: Path
    portal: str
    flow: str
    ui_version: str
    scenario: str = DEFAULT_SCENARIO
    #: the folder the recording was found in (``iter_recordings``): the files replayed are
    #: the ones there, whatever ``meta.json`` claims (a copy with a stale ``flow`` must not
    #: replay the recording it was copied from)
    location: Path | None = field(default=None, compare=False)

    @property
    def folder(self) -> Path:
        if self.location is not None:
            return self.location
        return (self.root / self.portal / _flow_folder(self.portal, self.flow)
                / self.ui_version / self.scenario)

    @property
    def har(self) -> Path:
        return self.folder / HAR_NAME

    @property
    def cassette(self) -> Path:
        return self.folder / CASSETTE_NAME

    @property
    def golden(self) -> Path:
        return self.folder / GOLDEN_NAME

    @property
    def meta(self) -> Path:
        return self.folder / META_NAME

    def exists(self) -> bool:
        return self.meta.is_file() and self.har.is_file()

    def relocated(self, root: Path) -> RecordingPaths:
        """The same recording under another root (the temp dir raw data goes to first)."""
        return RecordingPaths(root, self.portal, self.flow, self.ui_version, self.scenario)

    def load_meta(self) -> RecordingMeta:
        """``meta.json``, checked to describe the recording in this folder."""
        if not self.meta.is_file():
            if self.folder.is_dir() and any(self.folder.iterdir()):
                raise RecordingError(f"{self.meta}: the recording has no meta.json (damaged)",
                                     hint="restore it from version control, or re-record")
            if self.location is not None and self.folder.is_dir():
                raise RecordingError(
                    f"{self.folder}: the scenario folder is empty (a partial copy?): no "
                    f"{META_NAME}, {HAR_NAME} or {GOLDEN_NAME}",
                    hint="copy the whole scenario folder, remove the empty one, or record it: "
                    f"portwright record {self.flow} --portal-url URL --scenario "
                    f"{self.scenario}")
            raise RecordingError(
                f"no recording at {self.folder}",
                hint=f"record it: portwright record {self.flow} --portal-url URL "
                f"--scenario {self.scenario}",
            )
        data = read_json_object(self.meta, "meta.json")
        try:
            meta = RecordingMeta.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(str(p) for p in field_problems(exc))
            raise RecordingError(f"{self.meta}: meta.json does not describe a recording: "
                                 f"{problems}",
                                 hint="restore it from version control, or re-record") from None
        self._check_placed(meta)
        return meta

    def _check_placed(self, meta: RecordingMeta) -> None:
        """A ``meta.json`` naming another portal or flow than its folder is a copy or a bad
        merge: replaying it as either would test the wrong thing, so it is damaged."""
        if self.location is None:
            return
        why = misplacement(meta, self.location)
        if why is not None:
            raise RecordingError(
                f"{self.meta}: {why}",
                hint="move the folder to where its meta.json says, fix meta.json, or "
                     "re-record")

    def load_golden(self) -> dict[str, Any]:
        """``golden.json``, checked to be a golden document: valid JSON of another shape
        (a flow's bare outputs, another tool's file) would otherwise replay into a diff
        whose hint offers ``--update-golden``, as if the flow's output had changed."""
        golden = read_json_object(self.golden, "golden output")
        error = golden.get("error")
        if set(golden) == {"outputs"} and isinstance(golden["outputs"], dict):
            return golden
        if set(golden) == {"error"} and isinstance(error, dict) \
                and isinstance(error.get("type"), str):
            return golden
        keys = ", ".join(sorted(golden)) or "none"
        raise RecordingError(
            f"{self.golden}: golden output must be {{\"outputs\": {{...}}}} or "
            f"{{\"error\": {{\"type\": ...}}}}; it holds the key(s) {keys}",
            hint="restore it from version control (its sha256 is in meta.json), or "
                 "re-record the scenario")

    def check_listed_files(self, meta: RecordingMeta) -> None:
        """Every file ``meta.json`` vouches for is there: a cassette left behind by a
        partial copy replays without it (Python-side HTTP then simply raises, or is never
        made), proving less than the recording says."""
        for name in sorted(meta.content_hashes):
            if not (self.folder / name).is_file():
                raise RecordingError(
                    f"{self.folder / name}: the recording has no {name}, which meta.json "
                    "lists (a partial copy?)",
                    hint="copy the whole scenario folder from where it was recorded, or "
                         + rerecord_command(self, meta))

    def load_checked(self) -> RecordingMeta:
        """``meta.json``, after checking that the golden file and the HAR parse too and
        that no file it lists is missing: a listing that called a truncated golden
        "current" would hide it until replay."""
        meta = self.load_meta()
        self.load_golden()
        read_har(self.har)
        self.check_listed_files(meta)
        return meta


class RecordingMeta(BaseModel):
    """``meta.json``: what was recorded, against what, when; hashes of the other files."""

    model_config = ConfigDict(extra="forbid")

    format_version: int = FORMAT_VERSION
    portal: str
    flow: str
    flow_version: int | str | None = None
    selector_map_version: str | None = None
    app_version: str | None = None
    ui_version: str
    scenario: str = DEFAULT_SCENARIO
    #: the base URL the portal was recorded at; replay routes every request, so it is a name
    portal_url: str
    #: flow inputs, scrubbed like everything else (pseudonyms where they held PHI)
    inputs: dict[str, Any] = Field(default_factory=dict)
    #: the account used, by name (never a credential)
    account: str | None = None
    #: names (never values) of the secrets the recorded run resolved, e.g. ``valant.password``
    secret_names: list[str] = Field(default_factory=list)
    recorded_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    #: file name → sha256 of its scrubbed content
    content_hashes: dict[str, str] = Field(default_factory=dict)

    def write(self, path: Path) -> None:
        path.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def content_matches(path: Path, expected: str) -> bool:
    """Whether ``path`` holds the content hashed as ``expected``, as written or as a
    Windows checkout leaves it (CRLF line endings, ``core.autocrlf``) or an editor saves it
    (a byte-order mark): neither changes a byte of JSON or YAML content, and calling them
    "edited after scrubbing" sends people hunting for an edit nobody made."""
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() == expected:
        return True
    try:
        text = without_bom(data.decode("utf-8"))
    except UnicodeDecodeError:
        return False
    canonical = text.replace("\r\n", "\n").encode("utf-8")
    return hashlib.sha256(canonical).hexdigest() == expected


def rerecord_command(paths: RecordingPaths, meta: RecordingMeta) -> str:
    """The command that records ``paths`` again, as it was recorded: with each input the
    recording used (a flow with a required input refuses a command without it, exit 2)
    and its account. ``meta.json`` holds the inputs scrubbed (pseudonyms where they held
    PHI), so they are named with a placeholder each, never with a value: the person
    fills in the original ones."""
    inputs = "".join(f" --input {name}=<{name}>" for name in meta.inputs)
    account = f" --account {meta.account}" if meta.account else ""
    command = (f"portwright record {meta.flow} --portal-url URL{inputs}{account} "
               f"--scenario {paths.scenario} --record-mode all")
    if not inputs:
        return f"re-record it: {command}"
    return (f"re-record it: {command} (replace each <name> with the input's original "
            "value: meta.json holds it scrubbed)")


def iter_recordings(root: Path, portal: str | None = None) -> Iterator[RecordingPaths]:
    """Every recording under ``root``, in a stable order: each folder four levels down
    holding a ``meta.json``, a HAR or a golden file (one without ``meta.json`` is listed so
    that it is reported as damaged, not silently skipped). The recording is the folder
    found; its flow is ``meta.json``'s when that agrees with the folder, else the folder's.
    """
    if not root.is_dir():
        return
    folders = {f.parent for name in (META_NAME, HAR_NAME, GOLDEN_NAME)
               for f in root.glob("*/*/*/*/" + name) if f.is_file()}
    # an empty scenario folder (a partial copy: git keeps no empty folders, so it was
    # never committed) is listed too, to be reported rather than silently not replayed
    folders |= {d for d in root.glob("*/*/*/*") if d.is_dir() and not d.name.startswith(".")
                and not any(d.iterdir())}
    for scenario_dir in sorted(folders):
        ui_dir = scenario_dir.parent
        flow_dir = ui_dir.parent
        portal_dir = flow_dir.parent
        if portal is not None and portal_dir.name != portal:
            continue
        try:
            data = read_json_object(scenario_dir / META_NAME, "meta.json")
        except RecordingError:
            # still listed (its flow named by its folder), so replay and the standard
            # suite report this one recording as damaged instead of finding none at all
            data = {}
        flow = str(data.get("flow") or "")
        if _flow_folder(portal_dir.name, flow) != flow_dir.name:
            flow = f"{portal_dir.name}.{flow_dir.name}"
        yield RecordingPaths(root, portal_dir.name, flow, ui_dir.name, scenario_dir.name,
                             location=scenario_dir)
