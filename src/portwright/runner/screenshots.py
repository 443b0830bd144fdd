"""Screenshots a run takes (on failure, and by ``screenshot`` steps), PHI-safe by default.

Masked (the default, see :mod:`portwright.artifact_privacy`), the picture keeps the
page's layout: boxes, borders, buttons, where each piece of text sits. Every glyph, form
value and image is made invisible, and each element holding only text is drawn as a grey
box: two pages that differ only in whose record they show differ, in the picture, only
in the sizes of those boxes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from portwright.artifact_privacy import ArtifactPrivacy

if TYPE_CHECKING:
    from playwright.async_api import Page

__all__ = ["MASK_COLOR", "take_screenshot"]


#: the colour of the boxes drawn where text was
MASK_COLOR = "#9aa0a6"

#: applied only while the screenshot is taken; the page itself is left as it was. The
#: text's fill, not its ``color``, is made transparent: borders drawn in ``currentColor``
#: (a table's, an input's) keep showing the layout
_HIDE_CONTENT = """
*, *::before, *::after, input::placeholder, textarea::placeholder {
  -webkit-text-fill-color: transparent !important;
  text-shadow: none !important;
  caret-color: transparent !important;
}
img, svg, canvas, video, picture, iframe, object, embed {
  visibility: hidden !important;
}
*, *::before, *::after { background-image: none !important; }
"""

#: elements whose own children are all text: each becomes one grey box
_TEXT_LEAVES = "body :not(:has(*)):not(:empty):not(script):not(style):not(template)"


async def take_screenshot(page: Page, path: Path, privacy: ArtifactPrivacy, *,
                          full_page: bool = False, timeout: float = 5_000) -> None:
    """Save a PNG of ``page`` to ``path``, masked unless ``privacy`` is ``full``."""
    if privacy == ArtifactPrivacy.FULL:
        await page.screenshot(path=path, full_page=full_page, timeout=timeout)
        return
    await page.screenshot(path=path, full_page=full_page, timeout=timeout,
                          style=_HIDE_CONTENT, mask=[page.locator(_TEXT_LEAVES)],
                          mask_color=MASK_COLOR, animations="disabled", caret="hide")
