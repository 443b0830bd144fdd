"""An adapter adds an entity of its own (a portal's plan "Member") without touching the
engine: it declares the model on its class (``entities = (Member,)``), its flows emit it
by name, the standard suite validates its goldens against it, and the recording scrubber
honours its PHI marks. Another portal does not see it, and it cannot take the name of an
engine entity.

The toy adapter is a real throwaway distribution (``dist-info`` with its entry point) on
``sys.path``, found by ``importlib.metadata`` as pip would install it; its ``Member`` is
defined in the source below.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from portwright.adapter import Adapter, load_adapter
from portwright.entities import (
    EntityModel,
    Patient,
    UnknownEntityError,
    adapter_entities,
    entity_model,
)
from portwright.exceptions import AdapterNotFound
from portwright.recording.layout import RecordingPaths
from portwright.recording.scrub import BASELINE_POLICY, Scrubber, ScrubPolicy
from portwright.settings import load_settings
from portwright.testing.standard_suite import GoldenValidates, SuiteContext

ADAPTER_SOURCE = '''
from typing import Annotated

from portwright.adapter import Adapter
from portwright.entities import EntityModel, Phi
from portwright.entities.types import EntityId, IsoDate, NonEmptyStr


class Member(EntityModel):
    """A member of a health plan the portal administers."""

    member_id: Annotated[EntityId, Phi("member_id")]
    first_name: Annotated[NonEmptyStr, Phi("name")]
    last_name: Annotated[NonEmptyStr, Phi("name")]
    plan: NonEmptyStr
    enrolled_on: IsoDate | None = None


def normalize_member(raw):
    return Member.model_validate(raw)


class AcmeAdapter(Adapter):
    name = "{portal}"
    entities = (Member,)
    normalizers = {{"Member": normalize_member}}
'''

FLOW = """flow: {portal}.members
version: 1
outputs:
  members: {{entity: Member}}
steps:
  - action: goto
    url: "{{{{ portal.base_url }}}}/members"
"""

MEMBERS: list[dict[str, Any]] = [
    {"memberId": "M-7781", "firstName": "Odalys", "lastName": "Fenwright", "plan": "Gold",
     "enrolledOn": "2024-03-01"},
    {"memberId": "M-9914", "firstName": "Teodor", "lastName": "Brackley", "plan": "Silver",
     "enrolledOn": None},
]


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Install the toy adapter under a name of its own per test (imports are cached)."""
    name = f"acme{tmp_path.name.replace('-', '').replace('_', '')}".lower()
    package = f"pw_{name}"
    site = tmp_path / "site"
    (site / package).mkdir(parents=True)
    (site / package / "__init__.py").write_text("")
    (site / package / "adapter.py").write_text(ADAPTER_SOURCE.format(portal=name))
    info = site / f"{package}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        f"[portwright.adapters]\n{name} = {package}.adapter:AcmeAdapter\n")
    monkeypatch.syspath_prepend(str(site))
    return name


def test_an_adapter_s_own_entity_is_found_by_name_only_through_that_adapter(
        portal: str) -> None:
    own = adapter_entities(load_adapter(portal))
    assert list(own) == ["Member"]
    member = entity_model("Member", own)
    assert member.model_validate(MEMBERS[0]).to_json_dict() == MEMBERS[0]
    assert entity_model("Patient", own) is Patient         # the engine's stay as they are
    with pytest.raises(UnknownEntityError):
        entity_model("Member")                             # not another portal's entity
    with pytest.raises(UnknownEntityError, match="Member"):
        entity_model("Membr", own)                         # a typo lists the own names too


def test_an_adapter_may_not_redeclare_an_engine_entity_or_list_a_non_model() -> None:
    class Patient(EntityModel):  # the adapter's own "Patient": integrators read one shape
        patient_id: str

    class Shadowing(Adapter):
        name = "shadowing"
        entities = (Patient,)

    class NotAModel(Adapter):
        name = "not-a-model"
        entities = (dict,)

    with pytest.raises(AdapterNotFound, match="'Patient', the name of an engine entity"):
        adapter_entities(Shadowing())
    with pytest.raises(AdapterNotFound, match="not an entity model"):
        adapter_entities(NotAModel())
    assert adapter_entities(Adapter()) == {}              # an adapter declaring none


def _recording(tmp_path: Path, portal: str, members: list[dict[str, Any]]
               ) -> tuple[SuiteContext, RecordingPaths]:
    (tmp_path / "flows" / portal).mkdir(parents=True)
    (tmp_path / "flows" / portal / "members.yaml").write_text(FLOW.format(portal=portal))
    folder = tmp_path / "recordings" / portal / "members" / "v1" / "all"
    folder.mkdir(parents=True)
    (folder / "golden.json").write_text(json.dumps({"outputs": {"members": members}}))
    settings = load_settings(tmp_path, root=tmp_path, flows=tmp_path / "flows",
                             recordings=tmp_path / "recordings")
    paths = RecordingPaths(tmp_path / "recordings", portal, f"{portal}.members", "v1",
                           "all", location=folder)
    return SuiteContext(portal, settings), paths


def test_the_standard_suite_validates_goldens_against_the_adapter_s_entity(
        tmp_path: Path, portal: str) -> None:
    ctx, paths = _recording(tmp_path / "good", portal, MEMBERS)
    GoldenValidates.check(ctx, paths)

    wrong = [MEMBERS[0], {**MEMBERS[1], "plan": "", "enrolledOn": "03/01/2024"}]
    ctx, paths = _recording(tmp_path / "bad", portal, wrong)
    with pytest.raises(AssertionError, match=r"outputs\.members\[1\] is not a valid Member"):
        GoldenValidates.check(ctx, paths)


def test_the_adapter_entity_s_phi_fields_are_pseudonymized_in_a_recording(
        portal: str) -> None:
    load_adapter(portal)  # as the run a recording records has loaded it
    member = entity_model("Member", adapter_entities(load_adapter(portal)))
    golden = {"outputs": {"members": [member.model_validate(m).to_json_dict()
                                      for m in MEMBERS]}}
    scrubber = Scrubber(BASELINE_POLICY.merged(ScrubPolicy.model_validate(
        {"fields": {"username": "secret"}})))       # a policy naming no PHI field
    scrubber.learn_json(json.loads(json.dumps(golden)))
    scrubbed = scrubber.scrub_json(golden)["outputs"]["members"]
    for real, out in zip(MEMBERS, scrubbed, strict=True):
        for key in ("memberId", "firstName", "lastName"):
            assert out[key] != real[key], f"{key} kept"
        assert out["plan"] == real["plan"]                  # not PHI: kept
    assert "Fenwright" not in json.dumps(scrubbed)
