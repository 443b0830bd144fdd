"""Scaffolding a new portal adapter (``portwright new-adapter <name>``).

Like scrapy's ``genspider`` and the Singer SDK's cookiecutter, one command lays down a
working starting point from in-package templates: the adapter package with its entry
point, normalizers, scrub policy and recording hooks; a login flow, a session check and
an example extraction flow; a selector map for the portal's first UI version; and a test
module that runs portwright's standard adapter suite. The result validates as written,
so the first edit a person makes is to the selectors of their own portal.
"""

from __future__ import annotations

from pathlib import Path

from portwright.exceptions import ConfigError
from portwright.flow.schema import flow_schema_text
from portwright.scaffold.names import AdapterNames, adapter_names
from portwright.scaffold.plan import WORKSPACE_FILE_TEXT, PlannedFile, plan_adapter_files
from portwright.scaffold.taken import refuse_taken_names
from portwright.scaffold.writer import display_path, write_all
from portwright.selector_map.schema import selector_map_schema_text
from portwright.settings import Settings, load_settings
from portwright.workspace import find_workspace_file

__all__ = ["AdapterNames", "adapter_names", "scaffold_adapter"]


def _refuse_taken_folders(names: AdapterNames, settings: Settings) -> None:
    """A portal's folders that already hold files mean the name is taken in this
    workspace, even where no file would be overwritten: flows or maps of two adapters
    mixed in one folder would be validated, recorded and tested as one portal."""
    folders = (settings.path("adapters") / names.portal, settings.path("flows") / names.portal,
               settings.path("selectors") / names.portal,
               settings.path("recordings") / names.portal,
               settings.root / "tests" / names.package)
    taken = [f for f in folders if f.is_dir() and any(f.iterdir())]
    if taken:
        shown = ", ".join(f"{display_path(f, settings.root)}/" for f in taken)
        raise ConfigError(
            f"nothing was written: the workspace already has files for '{names.portal}' "
            f"({shown})",
            hint="choose another adapter name, or remove those folders first",
        )


def scaffold_adapter(names: AdapterNames, folder: Path | None = None) -> list[Path]:
    """Write a new adapter into the workspace around ``folder`` (default: cwd).

    Outside any workspace, ``folder`` becomes one (a ``portwright.toml`` is written).
    Returns the files written; raises :class:`ConfigError` and writes nothing when the
    name is taken (by an installed adapter, distribution or package, see
    :mod:`portwright.scaffold.taken`, or by files already in the workspace).
    """
    start = (folder or Path.cwd()).resolve()
    refuse_taken_names(names)
    settings = load_settings(start)
    _refuse_taken_folders(names, settings)
    planned = plan_adapter_files(names, settings)
    if find_workspace_file(start) is None:
        planned.insert(0, PlannedFile(settings.root / "portwright.toml", WORKSPACE_FILE_TEXT))
    # the schemas the new YAML files name for editors, unless the workspace has them
    for schema, text in ((settings.path("flows") / "flow.schema.json", flow_schema_text),
                         (settings.path("selectors") / "selector-map.schema.json",
                          selector_map_schema_text)):
        if not schema.exists():
            planned.append(PlannedFile(schema, text()))
    return write_all(planned, settings.root)
