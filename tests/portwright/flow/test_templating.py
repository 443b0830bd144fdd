"""Sandboxed templating: strict names, native values, lazy secrets that never leak."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError

from portwright.exceptions import CredentialError
from portwright.templating import (
    EnvSecretResolver,
    Redactor,
    SecretsNamespace,
    Templates,
    env_var_name,
    shared_templates,
)


def test_misspelled_names_fail_instead_of_rendering_empty() -> None:
    with pytest.raises(UndefinedError):
        Templates().render("{{ inputs.mnr }}", {"inputs": {"mrn": "1"}})


def test_single_expression_keeps_its_type_and_text_stays_text() -> None:
    t = Templates()
    scope = {"rows": [1, 2], "n": 2}
    assert t.render("{{ rows }}", scope) == [1, 2]
    assert t.render("count={{ n }}", scope) == "count=2"
    assert t.render({"a": ["{{ n + 1 }}"]}, scope) == {"a": [3]}
    assert t.render("no template here", scope) == "no template here"
    assert t.evaluate("rows | length == n", scope) is True


def test_templates_are_compiled_once() -> None:
    t = Templates()
    assert t.template("{{ a }}-{{ b }}") is t.template("{{ a }}-{{ b }}")


def test_the_sandbox_blocks_python_internals() -> None:
    with pytest.raises(SecurityError):
        Templates().render("{{ ''.__class__.__mro__ }}", {})


def test_secrets_resolve_lazily_and_are_remembered_for_redaction() -> None:
    calls: list[tuple[str, str, str | None]] = []

    class Store:
        def resolve(self, portal: str, name: str, *, account: str | None = None) -> str:
            calls.append((portal, name, account))
            return "hunter2-value"

    redactor = Redactor()
    scope = {"secrets": SecretsNamespace(Store(), redactor, account="front-desk")}
    t = Templates()
    assert calls == []
    assert t.render("{{ secrets.valant.password }}", scope) == "hunter2-value"
    assert calls == [("valant", "password", "front-desk")]
    assert redactor.redact("login with hunter2-value failed") == "login with *** failed"
    assert t.uses_secrets("{{ secrets.valant.password }}")
    assert not t.uses_secrets("{{ inputs.secrets_count }}")


def test_env_resolver_prefers_the_account_variable_and_names_what_is_missing() -> None:
    env = {"PORTWRIGHT_SECRET_VALANT_PASSWORD": "shared",
           "PORTWRIGHT_SECRET_VALANT_FRONT_DESK_PASSWORD": "mine"}
    resolver = EnvSecretResolver(env)
    assert resolver.resolve("valant", "password", account="front-desk") == "mine"
    assert resolver.resolve("valant", "password") == "shared"
    with pytest.raises(CredentialError, match="PORTWRIGHT_SECRET_VALANT_TOTP_SECRET") as info:
        resolver.resolve("valant", "totp_secret")
    assert "shared" not in str(info.value)
    assert env_var_name("valant", "api-key", "ops team") == \
        "PORTWRIGHT_SECRET_VALANT_OPS_TEAM_API_KEY"


def test_static_secret_resolver_names_what_is_missing_without_values() -> None:
    from portwright.exceptions import CredentialError
    from portwright.templating import StaticSecretResolver

    secrets = StaticSecretResolver({"password": "s3cret-value"}, label="the demo account")
    assert secrets.resolve("valant", "password", account="any") == "s3cret-value"
    with pytest.raises(CredentialError) as caught:
        secrets.resolve("valant", "totp_secret")
    text = str(caught.value)
    assert "valant.totp_secret" in text and "the demo account" in text
    assert "password" in text and "s3cret-value" not in text


def test_templates_checked_at_load_are_the_ones_every_engine_renders(tmp_path: Path) -> None:
    """A replay suite makes one engine per recording: none of them compiles a flow's
    templates again after loading the flow compiled them."""
    from portwright.flow.loader import load_flow_text
    from portwright.runner.engine import Engine
    from portwright.settings import load_settings

    source = "{{ portal.base_url }}/load-once-" + tmp_path.name
    load_flow_text(f"flow: toy.once\nsteps:\n  - {{action: goto, url: '{source}'}}\n",
                   "once.yaml")
    compiled = shared_templates().template(source)
    settings = load_settings().model_copy(update={"state": tmp_path / "state"})
    first, second = Engine(settings), Engine(settings)
    assert first.templates.template(source) is compiled
    assert second.templates.template(source) is compiled


def test_the_utc_filter_converts_offsets_and_reads_a_bare_time_as_utc() -> None:
    from datetime import datetime, timedelta, timezone

    render = shared_templates().render
    pacific = datetime(2027, 4, 6, 9, 0, tzinfo=timezone(timedelta(hours=-7)))
    assert render("{{ (when | utc).strftime('%Y-%m-%d %H:%M') }}", {"when": pacific}) == \
        "2027-04-06 16:00"
    late = datetime(2027, 4, 6, 20, 30, tzinfo=timezone(timedelta(hours=-7)))
    assert render("{{ (when | utc).date().isoformat() }}", {"when": late}) == "2027-04-07"
    assert render("{{ (when | utc).isoformat() }}", {"when": datetime(2027, 4, 6, 9)}) == \
        "2027-04-06T09:00:00+00:00"
