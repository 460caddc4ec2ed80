"""The site as a reader sees it, in Debian's Chromium at a laptop's and a phone's width.

At 1280 px no display formula is wider than its column; at 390 px no page is
wider than the screen (a long formula scrolls inside its own box); result
math is at least as large as step math; every figure is a figure element
with a caption.  Screenshots of the pages the issue names are written to
``$DERIVE_SCREENSHOTS`` when that is set, to be looked at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
READ_CLOSELY = {
    "two-layer": "generated/derivations/two_layer_sigmoid_grad/",
    "mse-softmax": "generated/derivations/mse_softmax_grad/",
    "gaussian": "generated/derivations/gaussian_nll_mse/",
    "home": "",
}
RENDERED = "document.querySelectorAll('.arithmatex').length === document.querySelectorAll('.arithmatex .katex').length"
MEASURE = """() => {
  const wide = [];
  for (const box of document.querySelectorAll('article div.arithmatex')) {
    if (box.scrollWidth > box.clientWidth + 1) wide.push(`${box.scrollWidth} > ${box.clientWidth}: `
      + box.querySelector('annotation')?.textContent.slice(0, 80));
  }
  const sizes = sel => Array.from(document.querySelectorAll(sel)).map(e => parseFloat(getComputedStyle(e).fontSize));
  const images = Array.from(document.querySelectorAll('article img'));
  return {
    wide,
    pageWidth: document.documentElement.scrollWidth,
    resultSizes: sizes('.derive-result .katex-display > .katex'),
    stepSizes: sizes('article .katex-display > .katex'),
    uncaptioned: images.filter(i => !i.closest('figure')?.querySelector('figcaption')?.textContent.trim())
      .map(i => i.getAttribute('src')),
  };
}"""


def _measure(browser: object, server: str, pages: list[str], viewport: dict[str, int]) -> dict[str, dict]:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    found = {}
    for relative in pages:
        page.goto(server + relative, wait_until="load")
        page.wait_for_function(RENDERED, timeout=10_000)
        found[relative] = page.evaluate(MEASURE)
    shots = os.environ.get("DERIVE_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        for name, relative in READ_CLOSELY.items():
            page.goto(server + relative, wait_until="load")
            page.wait_for_function(RENDERED, timeout=10_000)
            page.screenshot(path=f"{shots}/{name}-{viewport['width']}.png", full_page=True)
    context.close()
    return found


@pytest.fixture(scope="module")
def laptop(browser: object, server: str, site_pages: list[str]) -> dict[str, dict]:
    return _measure(browser, server, site_pages, LAPTOP)


@pytest.fixture(scope="module")
def phone(browser: object, server: str, site_pages: list[str]) -> dict[str, dict]:
    return _measure(browser, server, site_pages, PHONE)


def test_no_display_formula_is_wider_than_its_column_on_a_laptop(laptop: dict[str, dict]) -> None:
    wide = {page: m["wide"] for page, m in laptop.items() if m["wide"]}
    assert wide == {}


def test_no_page_is_wider_than_a_phone(phone: dict[str, dict]) -> None:
    wide = {page: m["pageWidth"] for page, m in phone.items() if m["pageWidth"] > PHONE["width"]}
    assert wide == {}


def test_results_print_at_least_as_large_as_steps(laptop: dict[str, dict]) -> None:
    pages = {page: m for page, m in laptop.items() if "derivations/" in page and m["resultSizes"]}
    assert len(pages) > 20
    small = {page: (min(m["resultSizes"]), max(m["stepSizes"])) for page, m in pages.items()}
    assert {page: sizes for page, sizes in small.items() if sizes[0] < sizes[1]} == {}


def test_every_figure_has_a_caption(laptop: dict[str, dict]) -> None:
    missing = {page: m["uncaptioned"] for page, m in laptop.items() if m["uncaptioned"]}
    assert missing == {}


# Display formulas of the guide pages that still scroll inside their box on a phone: 37 before the guide
# printed the derivations' phone layouts, 20 after (a quotation or a narrow layout still wider than 390 px).
GUIDE_PHONE_SCROLL_BUDGET = 22


def test_guide_formulas_rarely_scroll_on_a_phone(phone: dict[str, dict]) -> None:
    scrolling = {page: m["wide"] for page, m in phone.items() if "guide/" in page and m["wide"]}
    total = sum(len(wide) for wide in scrolling.values())
    assert total <= GUIDE_PHONE_SCROLL_BUDGET, scrolling


def test_guide_pages_print_a_phone_layout_of_long_formulas(built_site: Path) -> None:
    guide = built_site / "generated" / "guide"
    narrow = {
        p.parent.name: p.read_text(encoding="utf-8").count('class="derive-narrow"') for p in guide.rglob("*.html")
    }
    assert narrow["likelihood"] > 0 and narrow["claims-audit"] > 0, narrow
