"""Interactive figures and exercises: the functions they compute with, and the HTML that places them.

Every interactive piece of the site computes with JavaScript that SymPy's
JavaScript printer writes from the verified results (:mod:`derive.codegen_js`),
collected here into one generated script, ``generated/js/derive-functions.js``.
The hand-written scripts in ``docs/assets/js/`` only build controls, draw
and compare.  A figure is a ``<figure>`` holding the static SVG drawn at
build time (kept for readers without JavaScript and for print) and an empty
box the script fills; its settings travel as JSON in ``data-config``.
Scripts are loaded by the blocks themselves, so only pages with a figure or
an exercise load them.

>>> html = figure_html("demo", {"x": 1}, "training", "Training curves", "A caption.")
>>> 'data-derive-widget="demo"' in html and 'src="../../plots/training.svg"' in html
True
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from derive.codegen_js import JsFunction, module
from derive.errors import BuildError
from derive.site.render import MARKER

if TYPE_CHECKING:
    from derive.site.cache import Cache
    from derive.site.data import SiteData

FUNCTIONS_SCRIPT = "js/derive-functions.js"  # under docs/generated/
# From a generated page (generated/<section>/<name>/ once MkDocs gives it a directory URL):
GENERATED_FROM_PAGE = "../../"
ROOT_FROM_PAGE = "../../../"
STYLE = "assets/css/derive-interactive.css"
WIDGETS = "assets/js/derive-widgets.js"
EXERCISES = "assets/js/derive-exercise.js"
PARSER = "assets/vendor/jsep/jsep.iife.min.js"


def interactive_modules() -> dict[str, Any]:
    """The interactive figures by name: modules with ``functions()``, ``config()``, ``STATIC``, ``ALT``, ``CAPTION``."""
    from derive.site.figures import interactive_jacobian, interactive_sigmoid, interactive_softmax, interactive_training

    return {
        "sigmoid": interactive_sigmoid,
        "softmax": interactive_softmax,
        "jacobian": interactive_jacobian,
        "training": interactive_training,
    }


def all_functions(derivations: Iterable[str]) -> list[JsFunction]:
    """Every generated function the figures and exercises of this build use."""
    from derive.site import exercises

    present = set(derivations)
    out: list[JsFunction] = []
    for figure in interactive_modules().values():
        if set(figure.REQUIRES) <= present:
            out.extend(figure.functions())
    chosen = [name for name in exercises.EXERCISES if name in present]
    for name in chosen:
        out.extend(exercises.functions(name))
    if chosen:
        out.extend(exercises.shared_functions())
    return out


def script(functions: Iterable[JsFunction], marker: str) -> str:
    """The generated script: every function, with a header saying where it came from."""
    header = (
        f"// {marker}: do not edit.\n"
        "// Functions printed from the verified SymPy results by SymPy's JavaScript printer\n"
        "// (derive/codegen_js.py); the interactive figures and exercises compute with nothing else."
    )
    return module(functions, header)


def attribute_json(value: Any) -> str:
    return html.escape(json.dumps(value, sort_keys=True, separators=(",", ":")), quote=True)


def assets_html(*scripts: str) -> str:
    """The stylesheet and scripts a block needs (loaded by the block: only pages with one load them)."""
    tags = [f'<link rel="stylesheet" href="{ROOT_FROM_PAGE}{STYLE}">']
    tags.append(f'<script defer src="{GENERATED_FROM_PAGE}{FUNCTIONS_SCRIPT}"></script>')
    tags += [f'<script defer src="{ROOT_FROM_PAGE}{path}"></script>' for path in scripts]
    return '<div class="derive-assets" hidden>' + "".join(tags) + "</div>"


def figure_html(name: str, config: dict[str, Any], static: str, alt: str, caption: str) -> str:
    """One interactive figure as raw HTML for a Markdown page (no blank line inside, as Markdown needs)."""
    return (
        f'<figure class="derive-interactive" id="interactive-{name}" data-derive-widget="{name}" '
        f'data-config="{attribute_json(config)}">\n'
        f'<img class="derive-static" src="{GENERATED_FROM_PAGE}plots/{static}.svg" alt="{html.escape(alt)}">\n'
        '<div class="derive-live"></div>\n'
        f"<figcaption>{html.escape(caption)}</figcaption>\n"
        "</figure>\n\n" + assets_html(WIDGETS) + "\n"
    )


def interactive(name: str, site: SiteData) -> str:
    """The block of figure ``name`` for a template ("" when the build lacks a result it draws from).

    An unknown name, or a static figure this build did not draw, is a BuildError: the template or the
    figure list is broken.
    """
    figures = interactive_modules()
    if name not in figures:
        raise BuildError(f"interactive({name!r}): no such figure; there are: {', '.join(figures)}")
    figure = figures[name]
    if not set(figure.REQUIRES) <= set(site.derivations):
        return ""  # a build without the results it draws from (a partial registry) shows no figure
    if figure.STATIC not in site.figures:
        raise BuildError(f"interactive({name!r}): its static figure {figure.STATIC!r} was not drawn in this build")
    return figure_html(name, figure.config(), figure.STATIC, figure.ALT, figure.CAPTION)


def template_globals(site: SiteData) -> dict[str, Callable[..., Any]]:
    """``interactive(name)`` and ``exercise(name)`` for the templates."""
    from derive.site import exercises

    return {
        "interactive": lambda name: interactive(name, site),
        "exercise": lambda name: exercises.page_data(name) if name in site.derivations else None,
    }


def script_text(site: SiteData, cache: Cache | None) -> str:
    """The generated script for this build, from the cache when nothing it is printed from changed."""
    from derive.site.keys import interactive_key

    key = interactive_key(site.derivations)
    cached = cache.get_bytes("interactive", key, ".js") if cache else None
    if cached is not None:
        return cached.decode()
    text = script(all_functions(site.derivations), MARKER)
    if cache:
        cache.put_bytes("interactive", key, ".js", text.encode())
    return text
