"""Rendering pages with the template set of the sandbox's UI version.

Each UI version has its own folder (``templates/2025.4``, ``templates/2026.1``): the
releases differ in markup, ids and labels, never in data. Every page is rendered through
``render`` so the common context (app version, user, CSRF token, nav) is always present.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from portwright_valant.sandbox.csrf import FIELD, csrf_token
from portwright_valant.sandbox.state import SandboxState

__all__ = ["TEMPLATES_DIR", "environment", "render"]

TEMPLATES_DIR = Path(__file__).parent / "templates"


@cache
def environment(ui_version: str) -> Environment:
    """The Jinja environment for one UI version (cached: templates compile once)."""
    env = Environment(
        loader=FileSystemLoader([str(TEMPLATES_DIR / ui_version), str(TEMPLATES_DIR / "shared")]),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(
    request: Request, state: SandboxState, template_name: str, **ctx: Any
) -> HTMLResponse:
    """Render ``template_name`` from the UI version's folder as an HTML response.

    ``status_code`` in ``ctx`` sets the response status (e.g. 422 for a form with errors);
    ``user`` defaults to ``request.state.user`` when the auth dependency put one there.
    """
    status_code = int(ctx.pop("status_code", 200))
    config = state.config
    context: dict[str, Any] = {
        "request": request,
        "config": config,
        "ui_version": config.ui_version,
        "app_version": config.app_version,
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "csrf_field": FIELD,
        "active_nav": "",
        "flash": request.query_params.get("flash", ""),
    }
    context.update(ctx)
    html = environment(config.ui_version).get_template(template_name).render(context)
    return HTMLResponse(html, status_code=status_code)
