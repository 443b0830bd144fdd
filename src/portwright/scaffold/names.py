"""The names a new adapter is known by, derived from one portal name and checked once.

As meltano's and the Singer SDK's cookiecutters do, the person types one name and every
other spelling follows from it, so the entry point, the package, the flow prefix and the
secret variables can never disagree: ``acme_ehr`` gives the portal ``acme_ehr`` (flow
names ``acme_ehr.login``, folders ``flows/acme_ehr/``), the distribution
``portwright-acme-ehr``, the package ``portwright_acme_ehr`` and the class
``AcmeEhrAdapter``.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from portwright.exceptions import ConfigError

__all__ = ["AdapterNames", "adapter_names"]

#: the portal-name pattern of selector maps and flow names (snake_case, starts lowercase)
_PORTAL = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
#: UI versions become file names (``selectors/<portal>/<version>.yaml``)
_UI_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")


#: a display name is pasted into YAML plain scalars, TOML strings, Python docstrings and
#: comments: only characters that mean nothing special in any of them (no quote,
#: backslash, colon, hash, dollar), starting with a letter or digit
_DISPLAY_CHAR = re.compile(r"[\w .,'&()/+-]")
_DISPLAY_NAME = re.compile(r"^[^\W_][\w .,'&()/+-]*$")


@dataclass(frozen=True)
class AdapterNames:
    """Every spelling of one adapter's name, and the UI version its first map describes."""

    portal: str
    display_name: str
    ui_version: str

    @property
    def package(self) -> str:
        return f"portwright_{self.portal}"

    @property
    def distribution(self) -> str:
        return "portwright-" + self.portal.replace("_", "-")

    @property
    def class_name(self) -> str:
        return "".join(part.capitalize() for part in self.portal.split("_")) + "Adapter"

    @property
    def secret_prefix(self) -> str:
        """The environment variables the scaffolded login reads its secrets from."""
        return f"PORTWRIGHT_SECRET_{self.portal.upper()}_"

    def placeholders(self) -> dict[str, str]:
        """What the templates may say: ``$portal``, ``$package``, ``$class_name``..."""
        return {
            "portal": self.portal, "display_name": self.display_name,
            "ui_version": self.ui_version, "package": self.package,
            "distribution": self.distribution, "class_name": self.class_name,
            "secret_prefix": self.secret_prefix,
        }


def adapter_names(name: str, *, display_name: str | None = None,
                  ui_version: str = "1.0") -> AdapterNames:
    """Check ``name`` (kebab-case is accepted and becomes snake_case) and derive the rest."""
    portal = name.strip().replace("-", "_")
    if not _PORTAL.match(portal):
        raise ConfigError(
            f"'{name}' is not a usable adapter name: expected lowercase letters and "
            "digits, words joined by single '_' or '-', starting with a letter "
            "(e.g. acme or acme_ehr)",
            hint="the name becomes the flow prefix, the folder names and the package "
                 "portwright_<name>",
        )
    if keyword.iskeyword(portal):
        raise ConfigError(f"'{name}' is a Python keyword and cannot name a package",
                          hint="choose another adapter name")
    if not _UI_VERSION.match(ui_version):
        raise ConfigError(
            f"'{ui_version}' is not a usable UI version: expected letters, digits, '.', "
            "'-' or '_', e.g. 2026.1 or 2026-06-01",
            hint="the UI version names the selector-map file",
        )
    shown = (display_name or "").strip() or portal.replace("_", " ").title()
    if not _DISPLAY_NAME.match(shown):
        bad = sorted({c for c in shown if not _DISPLAY_CHAR.match(c)})
        raise ConfigError(
            f"'{display_name}' is not a usable display name"
            + (f": {', '.join(repr(c) for c in bad)} cannot be written into every "
               "scaffolded file as it is" if bad else ": it must start with a letter or digit"),
            hint="use letters, digits, spaces and . , ' & ( ) / + - (it is written unquoted "
                 "into YAML, TOML strings and Python docstrings)",
        )
    return AdapterNames(portal=portal, display_name=shown, ui_version=ui_version)
