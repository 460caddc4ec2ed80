"""The guide: pages of prose that quote verified formulas by name and label.

Narrative templates fetch math through ``formula(name, label)``,
``symbol(name, attribute)`` and the like (the :class:`GuideFunctions`), so
prose can quote any verified step or result, and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from derive.errors import BuildError
from derive.site.data import Example, Math, SiteData
from derive.site.pages import DERIVATIONS_DIR, GUIDE_DIR, PLOTS_DIR
from derive.site.pages.laid_out import LaidOut, quoted_math
from derive.site.render import GeneratedFiles, render


@dataclass(frozen=True)
class NarrativePage:
    """A page of prose: its file, title, template, and the derivations it quotes."""

    slug: str
    title: str
    requires: tuple[str, ...] = ()
    section: str = "Guide"  # the navigation section: the learner's guide, or the contributors' pages

    @property
    def template(self) -> str:
        return f"pages/{self.slug}.md.j2"


NARRATIVE: tuple[NarrativePage, ...] = (
    NarrativePage(
        "information",
        "From surprise to KL divergence",
        ("self_information", "entropy", "cross_entropy", "kl_divergence"),
    ),
    NarrativePage(
        "likelihood",
        "From likelihood to loss",
        ("gaussian_nll_mse", "scaled_loss_descent", "bernoulli_nll_bce", "categorical_nll_cce"),
    ),
    NarrativePage(
        "why-cross-entropy",
        "Why cross-entropy, not MSE",
        (
            "mse_prefers_uniform",
            "sigmoid_derivative",
            "bce_sigmoid_grad",
            "mse_sigmoid_grad",
            "cce_softmax_grad",
            "mse_softmax_grad",
            "saturation_limits",
        ),
    ),
    NarrativePage(
        "prediction-minus-target",
        "Why prediction minus target",
        (
            "exponential_family_grad",
            "poisson_nll_grad",
            "laplace_nll_mae",
            "label_smoothing_grad",
            "bce_sigmoid_grad",
            "cce_softmax_grad",
            "mse_sigmoid_grad",
            "saturation_limits",
            "focal_sigmoid_grad",
        ),
    ),
    NarrativePage(
        "curvature",
        "Curvature",
        ("sigmoid_losses_curvature", "cce_softmax_hessian", "logsumexp_shift", "sigmoid_derivative"),
    ),
    NarrativePage("sparse-labels", "Categorical vs sparse labels", ("sparse_cce", "cce_softmax_grad")),
    NarrativePage("worked-examples", "Worked examples"),
    NarrativePage("claims-audit", "Claims audit"),
    NarrativePage("notation", "Notation"),
    NarrativePage("add-your-own", "Add your own derivation", section="Contribute"),
)


@dataclass(frozen=True)
class GuideFunctions:
    """The functions every narrative template may call, over one build's data."""

    site: SiteData

    def formula(self, name: str, label: str = "result 1", side: str = "") -> Math:
        """The verified relation ``label`` of ``name`` (or its ``lhs``/``rhs``), as Math."""
        data = self.site.derivations.get(name)
        if data is None:
            raise BuildError(f"formula({name!r}, {label!r}): no derivation {name!r} in this build")
        found = next((r for r in data.relations() if r.label == label), None)
        if found is None:
            labels = ", ".join(r.label for r in data.relations())
            raise BuildError(f"formula({name!r}, {label!r}): no such relation; {name} has {labels}")
        if not side:
            if found.narrow is None:
                return found.math
            return LaidOut(found.math.tex, found.math.source, found.math.passed, found.narrow)
        return Math(getattr(found, side), f"{name}, {label} ({side})", found.passed)

    def symbol(self, name: str, attribute: str, index: str = "") -> Math:
        """A shared symbol that derivation ``name`` prints, as Math: prose names a variable with it.

        ``attribute`` and ``index`` are names in :mod:`derive.model.symbols`: ``symbol("entropy", "pv", "k")``
        is the entry of the probability vector, printed by SymPy as the derivation prints it.
        """
        import sympy as sp

        from derive.model import symbols
        from derive.site.printed import tex

        where = f"symbol({name!r}, {attribute!r}{f', {index!r}' if index else ''})"
        data = self.site.derivations.get(name)
        if data is None:
            raise BuildError(f"{where}: no derivation {name!r} in this build")
        found = getattr(symbols, attribute, None)
        position = getattr(symbols, index, None) if index else None
        if isinstance(found, sp.IndexedBase) and isinstance(position, sp.Symbol):
            found = found[position]
        elif not isinstance(found, sp.Symbol) or index:
            raise BuildError(f"{where}: not a symbol of derive.model.symbols (an IndexedBase needs an index symbol)")
        printed = tex(found)
        # the symbol as a token of some relation's LaTeX, not as letters inside a command or a longer name
        token = re.compile(r"(?<![A-Za-z\\])" + re.escape(printed) + r"(?![A-Za-z])")
        if not any(token.search(r.math.tex) for r in data.relations()):
            raise BuildError(f"{where}: {name} prints no {printed}")
        return Math(printed, f"{name}, symbol {attribute}{f'[{index}]' if index else ''}", data.report.passed)

    def why(self, name: str, label: str = "result 1") -> str:
        """The one-line reason recorded for a relation (prose, not math)."""
        self.formula(name, label)
        return next(r.why for r in self.site.derivations[name].relations() if r.label == label)

    def link(self, name: str, text: str = "") -> str:
        """A Markdown link to a derivation page, from any generated page."""
        if name not in self.site.derivations:
            raise BuildError(f"link({name!r}): no derivation {name!r} in this build")
        title = text or self.site.derivations[name].title
        return f"[{title}](../{DERIVATIONS_DIR}/{name}.md)"

    def plot(self, name: str, caption: str = "") -> str:
        """A figure drawn in this build, in a figure element with its caption (what to see; by default its alt)."""
        if name not in self.site.figures:
            raise BuildError(f"plot({name!r}): no such plot in this build")
        alt = self.site.figures[name].alt
        return (
            f'<figure markdown="span">\n![{alt}](../{PLOTS_DIR}/{name}.svg)\n'
            f"<figcaption>{caption or alt}</figcaption>\n</figure>"
        )

    def cite(self, markdown: str) -> str:
        """Markdown with each derivation named as code (`` `bce_sigmoid_grad` ``) turned into a link to its page.

        Every mention of another derivation links to it; a code span naming anything else stays code.
        """

        def linked(match: re.Match[str]) -> str:
            name = match.group(1)
            return self.link(name) if name in self.site.derivations else match.group(0)

        return re.sub(r"`([a-z][a-z0-9_]*)`", linked, markdown)

    def example(self, name: str) -> Example:
        """One worked example."""
        for found in self.site.examples:
            if found.name == name:
                return found
        known = ", ".join(e.name for e in self.site.examples)
        raise BuildError(f"example({name!r}): no such worked example; there are: {known}")

    def as_globals(self) -> dict[str, Callable[..., Any]]:
        """The functions, by the names templates call them."""
        return {
            "formula": self.formula,
            "why": self.why,
            "symbol": self.symbol,
            "link": self.link,
            "plot": self.plot,
            "example": self.example,
            "has": lambda name: name in self.site.derivations,
        }


def write_guide_pages(
    env: jinja2.Environment,
    files: GeneratedFiles,
    site: SiteData,
    templates: Path,
    pages: tuple[NarrativePage, ...] = NARRATIVE,
) -> dict[str, list[dict[str, str]]]:
    """Render every narrative page; return the navigation entries of each section (Guide, Contribute).

    Every page of :data:`NARRATIVE` has a template and every derivation it
    quotes: a missing one is a broken checkout, not a page to leave out.
    """
    from derive.site.content.claims import SOURCES, VERDICTS, by_severity, source_formulas

    # The source's own formulas are quoted, never checked: they carry passed=False and a source saying so.
    quoted = {name: tuple(quoted_math(name, tex) for tex in texts) for name, texts in source_formulas().items()}
    shared = {
        "symbols": notation_rows(site),
        "examples": site.examples,
        "experiment": site.experiment,
        "claims": by_severity(),
        "quoted": quoted,
        "sources": SOURCES,
        "verdicts": VERDICTS,
        "derivation_names": list(site.derivations),
    }
    nav: dict[str, list[dict[str, str]]] = {}
    for page in pages:
        if not (templates / page.template).exists():
            raise BuildError(f"templates/{page.template}: no such template, but the site lists the page {page.slug!r}")
        missing = [n for n in page.requires if n not in site.derivations]
        if missing:
            raise BuildError(f"the guide page {page.slug!r} quotes {', '.join(missing)}, not in this build")
        context = {"page": {"title": page.title, "slug": page.slug}, **shared}
        files.write(f"{GUIDE_DIR}/{page.slug}.md", render(env, page.template, context))
        nav.setdefault(page.section, []).append({page.title: f"generated/{GUIDE_DIR}/{page.slug}.md"})
    return nav


HOME_FIGURE = "gradient-sigmoid"
HOME_CAPTION = (
    "Size of the gradient in the logit against the predicted probability of the true class, sigmoid output, "
    "label 1. Cross-entropy pushes hardest when the prediction is most wrong; the squared error hardly pushes there."
)


def write_home(env: jinja2.Environment, files: GeneratedFiles, site: SiteData) -> None:
    """``home.md``: the answer the home page gives first, which the MkDocs hook puts at the site's root."""
    if HOME_FIGURE not in site.figures:
        raise BuildError(f"the home page shows the figure {HOME_FIGURE!r}, not drawn in this build")
    context = {"figure": f"generated/{PLOTS_DIR}/{HOME_FIGURE}.svg", "caption": HOME_CAPTION}
    files.write("home.md", render(env, "home/home.md.j2", context))


@dataclass(frozen=True)
class NotationRow:
    """One symbol of the catalogue: as printed, what it is (a kind, an abbreviation or a definition), and where."""

    symbol: Math
    meanings: tuple[str, ...]  # the kinds the pages give it, in words
    definitions: tuple[Math, ...]  # abbreviations and named quantities that define it
    pages: tuple[tuple[str, str], ...]  # (name, title) of each derivation that uses it


def notation_rows(site: SiteData) -> tuple[NotationRow, ...]:
    """Every symbol the catalogue's pages print, generated from their assumptions, notation and named quantities."""
    found: dict[str, dict[str, Any]] = {}

    def row(tex: str, symbol: Math) -> dict[str, Any]:
        return found.setdefault(tex, {"symbol": symbol, "meanings": [], "definitions": [], "pages": []})

    for name, data in site.derivations.items():
        seen = set()
        for a in data.assumptions:
            entry = row(a.symbol.tex, a.symbol)
            if a.kind not in entry["meanings"]:
                entry["meanings"].append(a.kind)
            seen.add(a.symbol.tex)
        for n in data.notation:
            symbol = n.tex.split(" = ")[0]
            entry = row(symbol, Math(symbol, f"{name}, notation", n.passed))
            if n.tex not in [d.tex for d in entry["definitions"]]:
                entry["definitions"].append(n)
            seen.add(symbol)
        for q in data.named:
            entry = row(q.symbol, Math(q.symbol, f"{name}, named {q.symbol}", q.math.passed))
            entry["definitions"].append(q.math)
            seen.add(q.symbol)
        for tex in seen:
            found[tex]["pages"].append((name, data.title))
    return tuple(
        NotationRow(e["symbol"], tuple(e["meanings"][:3]), tuple(e["definitions"][:2]), tuple(e["pages"]))
        for _, e in sorted(found.items(), key=lambda item: (item[0].lstrip("\\{").lower(), item[0]))
    )
