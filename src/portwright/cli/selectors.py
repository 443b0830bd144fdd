"""``portwright selectors check <portal> --url URL``: is every logical name still found?

Detects the UI version on the live page, checks names on public pages, signs in (as
``--account``, or with the portal's default credentials: saved session or login flow,
credentials from the environment or the store), visits the remaining pages (running their
``setup`` clicks), and prints a table: found by primary, by fallback, missing, ambiguous,
or invalid (a strategy the browser cannot parse: the name is reported with the browser's
reason, and every other name is still checked).
Without credentials, the pages behind the sign-in are reported *not checked*, with the
secret that was missing, rather than counted missing on the login page they redirect to.
Exit 1 if any name is missing, ambiguous, invalid or not checked: a check that could not
look must not pass. An unknown portal or ``--version``, or a ``--url`` that is not a
portal's address (not an http(s) URL, or nothing answers there), is an ``error:`` line
and exit 1, as for ``portwright run``; the first two are reported before a browser is
opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from portwright.cli.conventional_help import PortwrightTyper
from portwright.exceptions import CredentialError, PortwrightError

if TYPE_CHECKING:
    from portwright.auth.portal_auth import PortalAuth
    from portwright.runner.engine import Engine
    from portwright.selector_map.check import NameCheck
    from portwright.selector_map.loader import ResolvedMap
    from portwright.settings import Settings

__all__ = ["check_portal", "register", "selectors_app"]

#: this command's options, named in hints (``portwright run`` has others)
_URL_OPTION = "--url"
_VERSION_OPTION = "--version"

selectors_app = PortwrightTyper(help="Check selector maps against a live portal.",
                                no_args_is_help=True)


async def check_portal(engine: Engine, portal: str, url: str, account: str | None = None,
                       version: str | None = None, auth: PortalAuth | None = None,
                       problems: list[str] | None = None) -> tuple[str, list[NameCheck]]:
    """(version checked, one NameCheck per logical name).

    Public pages are checked first, on a fresh session; then the session is logged in
    through ``auth`` as ``account`` (None: the portal's default credentials; the saved
    session when it is healthy, else the login flow) and the other pages follow. When the
    credentials are missing, those pages' names are ``not checked`` and ``problems`` says
    which secret was missing. Pages that could not be reached (a setup click found
    nothing) are added to ``problems``; their names are classified on whatever page is
    showing.
    """
    from playwright.async_api import Error as PlaywrightError

    problems = [] if problems is None else problems
    maps = _maps_to_check(engine.settings, portal, url, version)
    try:
        return await _check(engine, maps, portal, url, account, version, auth, problems)
    except PlaywrightError as exc:  # the portal is not there (or went away mid-check)
        from portwright.runner.playwright_errors import (
            describe_playwright_error,
            unreachable_hint,
        )

        raise PortwrightError(describe_playwright_error(str(exc)),
                              hint=unreachable_hint(str(exc))) from None


def _maps_to_check(settings: Settings, portal: str, url: str, version: str | None
                   ) -> dict[str, ResolvedMap]:
    """The portal's maps, once the URL, the portal and the pinned version are known good
    (the errors ``portwright run`` gives, with this command's options in their hints)."""
    from portwright.runner.portal_url import checked_portal_url
    from portwright.selector_map.loader import pinned_map, portal_maps

    checked_portal_url(url, portal, option=_URL_OPTION)
    maps = portal_maps(settings.path("selectors"), portal)
    if version is not None:
        pinned_map(maps, version, settings.path("selectors") / portal)
    return maps


async def _check(engine: Engine, maps: dict[str, ResolvedMap], portal: str, url: str,
                 account: str | None, version: str | None, auth: PortalAuth | None,
                 problems: list[str]) -> tuple[str, list[NameCheck]]:
    from portwright.auth.portal_auth import PortalAuth
    from portwright.selector_map.check import NameCheck, check_names, check_page, names_by_page
    from portwright.selector_map.detect import detect_version

    session = await engine.session(portal, account)
    page = session.page
    await page.goto(url)
    chosen = version or (await detect_version(page, maps.values(), _VERSION_OPTION)).version
    smap = maps[chosen]
    groups = names_by_page(smap)
    results: list[NameCheck] = []
    order = sorted((k for k in groups if k is not None),
                   key=lambda k: (not smap.pages[k].public, smap.pages[k].path,
                                  smap.pages[k].setup, k))
    # keys that share a page (path and setup clicks) are checked in one visit
    visits: dict[tuple[str, tuple[str, ...]], dict[str, list[str]]] = {}
    for key in order:
        spec = smap.pages[key]
        visits.setdefault((spec.path, tuple(spec.setup)), {})[key] = groups[key]
    signed_in: bool | None = None  # None: no page has needed it yet
    for names_of in visits.values():
        if not smap.pages[next(iter(names_of))].public:
            if signed_in is None:
                signed_in = await _sign_in(auth or PortalAuth(engine), portal, account,
                                           problems)
            if not signed_in:
                results.extend(NameCheck(name, "not checked", None, 0, key)
                               for key, names in names_of.items() for name in names)
                continue
        checked, problem = await check_page(page, smap, url, names_of)
        results.extend(checked)
        if problem is not None:
            problems.append(problem)
    if None in groups and signed_in is False:  # the portal's home is behind the sign-in
        results.extend(NameCheck(name, "not checked", None, 0, None) for name in groups[None])
    elif None in groups:
        await page.goto(url)
        results.extend(await check_names(page, smap, groups[None], None))
    return chosen, results


async def _sign_in(auth: PortalAuth, portal: str, account: str | None,
                   problems: list[str]) -> bool:
    """Sign the session in; False (and why, in ``problems``) when credentials are missing."""
    try:
        await auth.ensure(portal, account)
    except CredentialError as exc:
        who = f"account '{account}'" if account else "the default account"
        reason = exc.message.splitlines()[0]
        problems.append(f"pages behind the sign-in not checked: no credentials for {who}: "
                        f"{reason} (set PORTWRIGHT_SECRET_{portal.upper()}_* or "
                        "`portwright secrets set`, or pass --account NAME)")
        return False
    return True


@selectors_app.command("check")
def check(
    portal: Annotated[str, typer.Argument(help="Portal name, e.g. valant.")],
    url: Annotated[str, typer.Option("--url", help="Portal base URL.")],
    account: Annotated[str | None, typer.Option("--account", help="Log in as this account.")
                       ] = None,
    version: Annotated[str | None, typer.Option("--version", help="Check this map version.")
                       ] = None,
    propose: Annotated[Path | None, typer.Option(
        "--propose", help="Write the map version's file with a proposed fix to this path: "
        "each name found only by a fallback gets that strategy first.")] = None,
) -> None:
    """Resolve every logical name of the detected map version on its pages."""
    import asyncio

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from portwright.auth.credentials import CredentialStore
    from portwright.auth.portal_auth import PortalAuth
    from portwright.cli.output_path import prepared_output
    from portwright.runner.engine import Engine
    from portwright.selector_map.proposal import write_proposal
    from portwright.settings import load_settings

    prepared_output(propose, "--propose")
    problems: list[str] = []
    checked_map: list[ResolvedMap] = []

    async def go() -> tuple[str, list[NameCheck]]:
        secrets = CredentialStore.for_workspace(settings.path("state"))
        async with Engine(settings, trace="off", portal_urls={portal: url},
                          secrets=secrets) as engine:
            chosen, results = await check_portal(engine, portal, url, account, version,
                                                 PortalAuth(engine), problems)
            checked_map.append(engine.selector_maps(portal)[chosen])
            return chosen, results

    try:
        settings = load_settings()
        _maps_to_check(settings, portal, url, version)  # before a browser is opened
        chosen, results = asyncio.run(go())
    except PortwrightError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    # names, strategies and page keys come from the map: `[data-col=due]` is CSS, not markup
    table = Table(title=escape(f"{portal} selector map {chosen}"))
    for column in ("name", "result", "strategy", "count", "page"):
        # folded, never cut with "…": a name or a strategy is copied into the map file
        table.add_column(column, overflow="fold")
    style = {"primary": "green", "fallback": "yellow", "missing": "red", "ambiguous": "red",
             "invalid": "red", "not shown": "dim", "not checked": "dim"}
    for r in results:
        table.add_row(escape(r.name), f"[{style.get(r.verdict, '')}]{r.verdict}[/]",
                      escape(r.strategy or "-"), str(r.count), escape(r.page or "-"))
    Console().print(table)
    smap = checked_map[0]
    for r in results:
        if r.verdict == "invalid":  # the browser's reason, whole: too long for the table
            typer.echo(f"invalid: {r.name}: {r.strategy} (strategy {(r.index or 0) + 1}) is "
                       f"not a valid selector: {r.detail} (fix it in "
                       f"{smap.origin.get(r.name, smap.file)})", err=True)
    for problem in problems:
        typer.echo(f"warning: {problem}", err=True)
    totals = {v: sum(1 for r in results if r.verdict == v)
              for v in ("primary", "fallback", "missing", "ambiguous", "invalid", "not shown",
                        "not checked")}
    typer.echo(", ".join(f"{k}: {v}" for k, v in totals.items()))
    if propose is not None:
        for line in write_proposal(smap, results, propose):
            typer.echo(line)
    if totals["missing"] or totals["ambiguous"] or totals["invalid"] or totals["not checked"]:
        raise typer.Exit(1)  # drift, a broken map, or a check that could not look


def register(app: typer.Typer) -> None:
    app.add_typer(selectors_app, name="selectors")
