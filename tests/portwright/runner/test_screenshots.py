"""Screenshots of portal pages: masked by default (the layout, none of the content), the
page as it is when the workspace says ``artifact_privacy = "full"``."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser

from portwright.artifact_privacy import ArtifactPrivacy
from portwright.exceptions import ConfigError
from portwright.runner.screenshots import take_screenshot
from portwright.settings import load_settings

pytestmark = pytest.mark.browser

#: a chart page; monospace, so two records with names and dates of the same length take
#: up exactly the same boxes
CHART = """<html><body style="font-family: monospace; font-size: 16px">
<h1>Client chart</h1>
<table border="1"><tr><th>Name</th><th>Date of birth</th></tr>
<tr><td>{name}</td><td>{dob}</td></tr></table>
<label>Search <input id="q" value="{name}" placeholder="{name}"></label>
<p>Seen by <b>{name}</b> <img alt="photo" width="40" height="40"
   src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3Crect width='40'
   height='40' fill='red'/%3E%3C/svg%3E"></p>
</body></html>"""
RECORDS = [("Quentin Marchbanks", "1961-04-09"), ("Zelda Hopkirkson X", "1977-11-23")]


async def _shots(browser: Browser, tmp_path: Path, privacy: ArtifactPrivacy) -> list[bytes]:
    page = await browser.new_page()
    shots = []
    try:
        for i, (name, dob) in enumerate(RECORDS):
            await page.set_content(CHART.format(name=name, dob=dob))
            path = tmp_path / f"{privacy}-{i}.png"
            await take_screenshot(page, path, privacy)
            shots.append(path.read_bytes())
        # the page itself is left as it was: its text still reads
        assert await page.locator("td").first.inner_text() == RECORDS[-1][0]
    finally:
        await page.close()
    return shots


async def test_a_masked_screenshot_shows_the_layout_but_not_whose_record(
        browser: Browser, tmp_path: Path) -> None:
    first, second = await _shots(browser, tmp_path, ArtifactPrivacy.MASKED)
    assert first == second        # two patients, one picture: no glyph, value or image shows
    blank_page = await browser.new_page()
    try:
        await blank_page.set_content("<html><body></body></html>")
        await take_screenshot(blank_page, tmp_path / "blank.png", ArtifactPrivacy.MASKED)
    finally:
        await blank_page.close()
    assert first != (tmp_path / "blank.png").read_bytes()  # while the layout does show


async def test_a_full_screenshot_shows_the_page(browser: Browser, tmp_path: Path) -> None:
    first, second = await _shots(browser, tmp_path, ArtifactPrivacy.FULL)
    assert first != second


def test_the_setting_is_strict(tmp_path: Path) -> None:
    (tmp_path / "portwright.toml").write_text('artifact_privacy = "blurred"\n')
    with pytest.raises(ConfigError, match="artifact_privacy") as info:
        load_settings(tmp_path)
    assert "masked" in str(info.value) + str(info.value.hint)
    (tmp_path / "portwright.toml").write_text('artifact_privacy = "full"\n')
    assert load_settings(tmp_path).artifact_privacy is ArtifactPrivacy.FULL
    assert load_settings(tmp_path.parent).artifact_privacy is ArtifactPrivacy.MASKED
