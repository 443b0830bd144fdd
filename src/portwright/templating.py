"""Values in flows are Jinja2 templates, rendered in a sandbox with ``StrictUndefined``.

* Compiled templates are cached by source text: a flow run renders, it never re-parses.
* A string without ``{`` is returned untouched (no Jinja at all on the hot path).
* A string that is exactly ``{{ expr }}`` yields the expression's native value (a list
  stays a list), anything else renders to text.
* Secrets (``{{ secrets.valant.password }}``) are looked up through a
  :class:`SecretResolver` only when a value is rendered for use, and every value looked
  up is remembered by the run's :class:`Redactor`, which scrubs it out of step logs and
  error messages. Logs show the template source of a secret-bearing value, never the
  rendered text.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote, quote_plus

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, Undefined, meta, nodes
from jinja2.parser import Parser
from jinja2.sandbox import SandboxedEnvironment

from portwright.exceptions import CredentialError

__all__ = [
    "EnvSecretResolver",
    "Redactor",
    "SecretResolver",
    "SecretsNamespace",
    "StaticSecretResolver",
    "TemplateSyntaxError",
    "Templates",
    "env_var_name",
    "shared_templates",
]

_SINGLE_EXPR = re.compile(r"^\{\{\s*(?P<expr>.+?)\s*\}\}$", re.DOTALL)
REDACTED = "***"


@runtime_checkable
class SecretResolver(Protocol):
    """Gives the value of a named secret of a portal (optionally for one account).

    The auth engineer's credential store implements this; the default reads environment
    variables. Implementations raise ``CredentialError`` naming the secret, never
    including a value.
    """

    def resolve(self, portal: str, name: str, *, account: str | None = None) -> str: ...


def env_var_name(portal: str, name: str, account: str | None = None) -> str:
    """``PORTWRIGHT_SECRET_<PORTAL>[_<ACCOUNT>]_<NAME>``, upper-cased, non-alnum → ``_``."""
    parts = [portal, *([account] if account else []), name]
    return "PORTWRIGHT_SECRET_" + "_".join(re.sub(r"[^A-Za-z0-9]", "_", p).upper() for p in parts)


class EnvSecretResolver:
    """Secrets from environment variables; an account-specific variable wins."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ if environ is not None else os.environ

    def resolve(self, portal: str, name: str, *, account: str | None = None) -> str:
        candidates = [env_var_name(portal, name, account)] if account else []
        candidates.append(env_var_name(portal, name))
        for var in candidates:
            value = self._environ.get(var)
            if value:
                return value
        raise CredentialError(
            f"secret '{portal}.{name}' is not set",
            hint=f"set {' or '.join(candidates)} (or configure the credential store)",
        )


class StaticSecretResolver:
    """Secrets from a fixed mapping (name → value), the same for every portal and account.

    For demos and tests that use a sandbox's public, seeded account: a built-in double
    instead of patching the environment.
    """

    def __init__(self, values: Mapping[str, str], *, label: str = "the given secrets") -> None:
        self._values = dict(values)
        self._label = label

    def resolve(self, portal: str, name: str, *, account: str | None = None) -> str:
        try:
            return self._values[name]
        except KeyError:
            raise CredentialError(
                f"secret '{portal}.{name}' is not in {self._label}",
                hint="known names: " + ", ".join(sorted(self._values)),
            ) from None


class Redactor:
    """Remembers secret values used in a run and blanks them out of any text."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, value: str) -> None:
        if value:
            self._values.add(value)

    def __bool__(self) -> bool:
        return bool(self._values)

    def redact(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, REDACTED)
        return text

    def variants(self) -> list[bytes]:
        """Each secret as it may appear in recorded traffic: raw, URL-encoded (form and
        path style), JSON-escaped and HTML-escaped; longest first."""
        out: set[bytes] = set()
        for value in self._values:
            for form in (value, quote_plus(value), quote(value, safe=""),
                         json.dumps(value)[1:-1], html.escape(value)):
                out.add(form.encode())
        return sorted(out, key=len, reverse=True)


class _PortalSecrets:
    """``secrets.<portal>``: attribute or item access resolves one secret, lazily."""

    def __init__(self, namespace: SecretsNamespace, portal: str) -> None:
        self._ns = namespace
        self._portal = portal

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._ns.lookup(self._portal, name)

    def __getitem__(self, name: str) -> str:
        return self._ns.lookup(self._portal, name)

    def __repr__(self) -> str:
        return f"<secrets of {self._portal}>"


class SecretsNamespace:
    """The ``secrets`` template variable. Values are resolved when rendered and added to
    the redactor; nothing is resolved until a template actually uses it."""

    def __init__(
        self, resolver: SecretResolver, redactor: Redactor, account: str | None = None
    ) -> None:
        self._resolver = resolver
        self._redactor = redactor
        self._account = account

    def lookup(self, portal: str, name: str) -> str:
        value = self._resolver.resolve(portal, name, account=self._account)
        self._redactor.add(value)
        return value

    def __getattr__(self, portal: str) -> _PortalSecrets:
        if portal.startswith("_"):
            raise AttributeError(portal)
        return _PortalSecrets(self, portal)

    def __getitem__(self, portal: str) -> _PortalSecrets:
        return _PortalSecrets(self, portal)

    def __repr__(self) -> str:
        return "<secrets>"


def as_utc(moment: datetime) -> datetime:
    """The ``utc`` filter: a date-time in UTC; one without an offset is taken as UTC.

    A ``datetime`` input keeps the offset it was given (``09:00-07:00``); a flow that
    formats it for a portal working in UTC must convert first, or it types 09:00 for a
    visit at 16:00Z.
    """
    if not isinstance(moment, datetime):
        raise TypeError(f"utc expects a date-time, got {type(moment).__name__}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _defined(value: Any) -> Any:
    """An expression's value; an undefined name raises (StrictUndefined semantics)."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return value


class Templates:
    """A sandboxed Jinja2 environment with compiled-template and expression caches."""

    def __init__(self) -> None:
        self.env = SandboxedEnvironment(
            undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
        )
        self.env.filters["utc"] = as_utc
        self._templates: dict[str, Template] = {}
        self._expressions: dict[str, Callable[..., Any]] = {}
        self._secret_sources: dict[str, bool] = {}
        self._keys_read: dict[tuple[str, str, bool], frozenset[str]] = {}

    @staticmethod
    def is_template(value: str) -> bool:
        return "{{" in value or "{%" in value

    def check(self, source: str, *, expression: bool = False) -> None:
        """Compile ``source`` now (raises ``TemplateSyntaxError``) and cache it.

        An expression may be written wrapped, ``"{{ expr }}"``, as :meth:`evaluate`
        accepts it: checked as the expression inside, so a flow that runs also loads."""
        if expression:
            single = _SINGLE_EXPR.match(source.strip())
            self.expression(single.group("expr") if single else source)
        elif self.is_template(source):
            self.template(source)

    def template(self, source: str) -> Template:
        tpl = self._templates.get(source)
        if tpl is None:
            tpl = self._templates[source] = self.env.from_string(source)
        return tpl

    def expression(self, source: str) -> Callable[..., Any]:
        fn = self._expressions.get(source)
        if fn is None:
            fn = self._expressions[source] = self.env.compile_expression(
                source, undefined_to_none=False
            )
        return fn

    def uses_secrets(self, source: str) -> bool:
        """Whether the template refers to ``secrets`` (its rendering must never be logged)."""
        known = self._secret_sources.get(source)
        if known is None:
            known = "secrets" in source and "secrets" in meta.find_undeclared_variables(
                self.env.parse(source)
            )
            self._secret_sources[source] = known
        return known

    def keys_read(self, source: str, name: str, *, expression: bool = False) -> set[str]:
        """Keys of the mapping ``name`` a template (or bare expression) reads by a fixed
        key: ``name.key`` and ``name['key']``.

        Reads that tolerate a missing key are left out: a key tested with ``is defined`` /
        ``is undefined`` or given a ``default`` filter anywhere in ``source``, method calls
        (``name.get('key')``) and computed keys (``name[other]``). A source that does not
        compile gives no keys (its syntax error is reported on its own).
        """
        if name not in source:
            return set()
        cache_key = (source, name, expression)
        known = self._keys_read.get(cache_key)
        if known is None:
            known = self._keys_read[cache_key] = frozenset(
                self._find_keys_read(source, name, expression))
        return set(known)

    def _find_keys_read(self, source: str, name: str, expression: bool) -> set[str]:
        try:
            tree = self._tree(source, expression)
        except TemplateSyntaxError:
            return set()
        if tree is None:
            return set()
        read: set[str] = set()
        tolerant: set[str] = set()

        def key_of(node: nodes.Node) -> str | None:
            if not (isinstance(node, nodes.Getattr | nodes.Getitem)
                    and isinstance(node.node, nodes.Name) and node.node.name == name):
                return None
            if isinstance(node, nodes.Getattr):
                return node.attr
            arg = node.arg
            return arg.value if isinstance(arg, nodes.Const) and isinstance(arg.value, str) \
                else None

        def visit(node: nodes.Node, parent: nodes.Node | None) -> None:
            key = key_of(node)
            if key is not None:
                if isinstance(parent, nodes.Call) and parent.node is node:
                    pass  # a method of the mapping: name.get('key'), name.items()
                elif (isinstance(parent, nodes.Test) and parent.node is node
                      and parent.name in ("defined", "undefined")) or (
                        isinstance(parent, nodes.Filter) and parent.node is node
                        and parent.name in ("default", "d")):
                    tolerant.add(key)
                else:
                    read.add(key)
            for child in node.iter_child_nodes():
                visit(child, node)

        visit(tree, None)
        return read - tolerant

    def _tree(self, source: str, expression: bool) -> nodes.Node | None:
        """The parsed form of a template or bare expression (None: plain text)."""
        if expression:
            single = _SINGLE_EXPR.match(source.strip())
            parser = Parser(self.env, single.group("expr") if single else source,
                            state="variable")
            tree: nodes.Node = parser.parse_expression()
            if not parser.stream.eos:
                parser.fail(f"unexpected {parser.stream.current.type!r}",
                            parser.stream.current.lineno)
            return tree
        if not self.is_template(source):
            return None
        return self.env.parse(source)

    def render(self, value: Any, scope: Mapping[str, Any]) -> Any:
        """Render a template value (strings, and lists/dicts of them) in ``scope``."""
        if isinstance(value, str):
            if not self.is_template(value):
                return value
            single = _SINGLE_EXPR.match(value)
            if single and "{{" not in single.group("expr") and "}}" not in single.group("expr"):
                return _defined(self.expression(single.group("expr"))(**scope))
            return self.template(value).render(**scope)
        if isinstance(value, dict):
            return {k: self.render(v, scope) for k, v in value.items()}
        if isinstance(value, list):
            return [self.render(v, scope) for v in value]
        return value

    def render_text(self, value: Any, scope: Mapping[str, Any]) -> str:
        """Render and convert to text (what a form field receives)."""
        out = self.render(value, scope)
        return "" if out is None else str(out)

    def evaluate(self, expression: str, scope: Mapping[str, Any]) -> Any:
        """Evaluate a bare expression (``inputs.mrn is defined``); a ``{{ }}`` wrapper is
        accepted too."""
        single = _SINGLE_EXPR.match(expression.strip())
        source = single.group("expr") if single else expression
        return _defined(self.expression(source)(**scope))


_SHARED = Templates()


def shared_templates() -> Templates:
    """The process's one compiled-template cache. Loading a flow compiles each of its
    templates to check them; every engine then renders from the same cache, so a template
    is compiled once per process, not once more per engine (a replay makes one per
    recording)."""
    return _SHARED
