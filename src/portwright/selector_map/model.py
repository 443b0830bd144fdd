"""Selector maps as pure data: logical name → ordered strategies, detect rules, pages.

A strategy is a one-key mapping naming how Playwright finds the element (``role`` with
optional ``name``, ``label``, ``placeholder``, ``test_id``, ``text``, ``css``,
``xpath``). A name is a list of strategies (shorthand) or a mapping with
``strategies``, ``scope`` (another logical name to search within), ``frame`` (the
<iframe> whose document to search: another logical name, or strategies of its own),
``nth`` and ``all``.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from portwright.flow.steps.base import problem

__all__ = [
    "STRATEGY_KINDS",
    "CssStrategy",
    "DetectRule",
    "ElementRule",
    "JsRule",
    "LabelStrategy",
    "MetaRule",
    "PageSpec",
    "PlaceholderStrategy",
    "RoleStrategy",
    "SelectorEntry",
    "SelectorMapFile",
    "Strategy",
    "TestIdStrategy",
    "TextStrategy",
    "UrlRule",
    "XpathStrategy",
    "inline_frame_name",
]

STRATEGY_KINDS = ("role", "label", "placeholder", "test_id", "text", "css", "xpath")
VERSION = r"^[0-9A-Za-z][0-9A-Za-z._-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: a value that says what to look for: an empty one finds nothing, or everything
#: (``css: ""`` is not a selector; ``text: ""`` or ``name: ""`` matches any element)
Text = Annotated[str, Field(min_length=1)]

#: what each field that names what to look for expects, for the error on an empty value
_EXPECTED_TEXT = {
    "role": "an ARIA role, e.g. button",
    "name": "the accessible name, e.g. \"Save\" (or no 'name' to match the role alone)",
    "label": "the label's text, e.g. \"Email\"",
    "placeholder": "the placeholder's text, e.g. \"Search\"",
    "test_id": "a data-testid value, e.g. save-button",
    "text": "the element's text, e.g. \"Save\"",
    "css": "a CSS selector, e.g. #save",
    "xpath": "an XPath expression, e.g. //button[@type='submit']",
    "meta": "the name of a <meta> tag, e.g. app-version",
    "element": "a CSS selector, e.g. #app[data-version]",
}


class _Looks(_Strict):
    """A strategy or detect rule: its text values must say what to look for."""

    @field_validator("*", mode="before")
    @classmethod
    def _not_blank(cls, value: Any, info: ValidationInfo) -> Any:
        field = info.field_name
        if isinstance(value, str) and not value.strip() and field in _EXPECTED_TEXT:
            what = f"empty '{field}'" if not value else f"blank '{field}' ({value!r})"
            raise problem(f"{what}: it names nothing to look for", _EXPECTED_TEXT[field])
        return value


class RoleStrategy(_Looks):
    """ARIA role, optionally with its accessible name (``get_by_role``)."""

    role: Text
    name: Text | None = None
    exact: bool = False

    def describe(self) -> str:
        return f"role={self.role}" + (f'[name="{self.name}"]' if self.name else "")


class LabelStrategy(_Looks):
    """The form control labelled by this text (``get_by_label``)."""

    label: Text
    exact: bool = False

    def describe(self) -> str:
        return f'label="{self.label}"'


class PlaceholderStrategy(_Looks):
    """An input by its placeholder (``get_by_placeholder``)."""

    placeholder: Text
    exact: bool = False

    def describe(self) -> str:
        return f'placeholder="{self.placeholder}"'


class TestIdStrategy(_Looks):
    """``data-testid`` (``get_by_test_id``)."""

    __test__ = False  # not a pytest class
    test_id: Text

    def describe(self) -> str:
        return f'test_id="{self.test_id}"'


class TextStrategy(_Looks):
    """An element by its text (``get_by_text``)."""

    text: Text
    exact: bool = False

    def describe(self) -> str:
        return f'text="{self.text}"'


class CssStrategy(_Looks):
    """A CSS selector."""

    css: Text

    def describe(self) -> str:
        return f"css={self.css}"


class XpathStrategy(_Looks):
    """An XPath expression."""

    xpath: Text

    def describe(self) -> str:
        return f"xpath={self.xpath}"


def _kind_of(value: Any) -> str | None:
    if isinstance(value, dict):
        for kind in STRATEGY_KINDS:
            if kind in value:
                return kind
        return None
    for kind in STRATEGY_KINDS:
        if hasattr(value, kind):
            return kind
    return None


Strategy = Annotated[
    Union[  # noqa: UP007
        Annotated[RoleStrategy, Tag("role")],
        Annotated[LabelStrategy, Tag("label")],
        Annotated[PlaceholderStrategy, Tag("placeholder")],
        Annotated[TestIdStrategy, Tag("test_id")],
        Annotated[TextStrategy, Tag("text")],
        Annotated[CssStrategy, Tag("css")],
        Annotated[XpathStrategy, Tag("xpath")],
    ],
    Discriminator(
        _kind_of,
        custom_error_type="definition",
        custom_error_message="a strategy must name how to find the element",
        custom_error_context={"expected": "one key of " + ", ".join(STRATEGY_KINDS)},
    ),
]


def inline_frame_name(owner: str) -> str:
    """The logical name the loader gives the frame an entry names inline (its strategies
    under ``frame:``), so that frame is resolved, logged and checked like any other name:
    ``payment.card`` → ``payment.card#frame``."""
    return f"{owner}#frame"


#: what ``frame`` expects, for the error on a value that is neither
_EXPECTED_FRAME = ("the logical name of the <iframe> element (e.g. payment.frame), or a list "
                   "of strategies that find it (e.g. [{css: \"iframe#pay\"}])")


class SelectorEntry(_Strict):
    """How one logical name is found: strategies in order of preference."""

    strategies: list[Strategy] = Field(min_length=1)
    scope: str | None = Field(default=None, description="Logical name to search within.")
    frame: str | list[Strategy] | None = Field(
        default=None,
        description="The <iframe> whose document holds this element: the logical name of "
        "the iframe element, or strategies that find it. Nested frames chain: the frame's "
        "own entry may name a frame.")
    nth: int | None = Field(default=None, ge=0, description="Pick the nth match (0-based).")
    all: bool = Field(default=False, description="Names a list of elements (rows, options).")
    conditional: bool = Field(
        default=False,
        description="Shown only in some states (error banners): `selectors check` reports "
        "it as 'not shown' rather than missing.",
    )
    description: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, list):
            return {"strategies": value}
        if isinstance(value, dict) and "strategies" not in value and _kind_of(value):
            return {"strategies": [value]}
        return value

    @field_validator("frame", mode="before")
    @classmethod
    def _frame(cls, value: Any) -> Any:
        """One strategy stands for a list of one (as for a name); anything but a name or
        strategies is refused as a whole, not as each member of the union it fails."""
        if isinstance(value, dict) and _kind_of(value):
            return [value]
        if isinstance(value, str) and not value.strip():
            what = "empty 'frame'" if not value else f"blank 'frame' ({value!r})"
            raise problem(f"{what}: it names no frame", _EXPECTED_FRAME)
        if value is not None and not isinstance(value, str | list):
            raise problem(f"'frame' is {type(value).__name__} {value!r}", _EXPECTED_FRAME)
        if isinstance(value, list) and not value:
            raise problem("empty 'frame' list: it names no frame", _EXPECTED_FRAME)
        return value

    def frame_name(self, owner: str) -> str | None:
        """The logical name of the frame this entry (``owner``) is found in, if any."""
        if self.frame is None:
            return None
        return self.frame if isinstance(self.frame, str) else inline_frame_name(owner)


def _rule_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for kind in ("meta", "js", "url", "element"):
            if kind in value:
                return kind
        return None
    return next((k for k in ("meta", "js", "url", "element") if hasattr(value, k)), None)


class MetaRule(_Looks):
    """``<meta name="{meta}" content=...>`` whose content matches ``matches`` (regex)."""

    meta: Text
    matches: str = ".+"


class JsRule(_Strict):
    """A dotted global (``APP.version``) whose string value matches ``matches``."""

    js: str = Field(pattern=r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
    matches: str = ".+"


class UrlRule(_Strict):
    """The page URL matches this regex."""

    url: str


class ElementRule(_Looks):
    """An element matching this CSS selector is present."""

    element: Text


DetectRule = Annotated[
    Union[  # noqa: UP007
        Annotated[MetaRule, Tag("meta")],
        Annotated[JsRule, Tag("js")],
        Annotated[UrlRule, Tag("url")],
        Annotated[ElementRule, Tag("element")],
    ],
    Discriminator(
        _rule_kind,
        custom_error_type="definition",
        custom_error_message="a detect rule must say what to look at",
        custom_error_context={"expected": "one key of meta, js, url, element"},
    ),
]


class PageSpec(_Strict):
    """Where names with this prefix live (``selectors check`` visits it).

    Detail pages and dialogs have no fixed URL (record ids differ per portal), so a page
    is reached the way a user reaches it: load ``path``, then click ``setup`` (logical
    names, the first match of each, in order) — e.g. the first patient row's link.
    """

    path: str = Field(description="Path below the portal URL, e.g. /patients.")
    public: bool = Field(default=False, description="Reachable without logging in.")
    setup: list[str] = Field(
        default_factory=list,
        description="Logical names clicked in order after loading the path (first match).")


class SelectorMapFile(_Strict):
    """One ``selectors/<portal>/<version>.yaml`` file, before ``extends`` is applied.

    ``detect`` rules must all match for this version to be picked from a live page.
    """

    portal: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: str = Field(pattern=VERSION)
    extends: str | None = Field(default=None, pattern=VERSION)
    description: str | None = None
    detect: list[DetectRule] = Field(default_factory=list)
    pages: dict[str, PageSpec] = Field(default_factory=dict)
    selectors: dict[str, SelectorEntry] = Field(default_factory=dict)
    remove: list[str] = Field(default_factory=list, description="Inherited names to drop.")

    @field_validator("version", "extends", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise problem(
                f"version {value!r} was read as a number",
                'a quoted string like "2026.1" (unquoted, 2026.10 would read as 2026.1)',
            )
        return value

    @field_validator("selectors", "pages", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value
