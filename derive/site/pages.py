"""What each page gets: derivation pages, the derivations index, and the narrative pages.

Derivation data from :mod:`derive.site.checked` is wrapped so that every
LaTeX string becomes a :class:`~derive.site.render.Math` with its source.
Narrative templates fetch math by name and label through ``formula(name,
label)``, so prose can quote any verified step or result, and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derive.errors import BuildError
from derive.site.collect import Catalogue
from derive.site.render import Math

DERIVATIONS_DIR = "derivations"
GUIDE_DIR = "guide"
PLOTS_DIR = "plots"


@dataclass(frozen=True)
class NarrativePage:
    """A page of prose: its file, title, template, and the derivations it quotes."""

    slug: str
    title: str
    requires: tuple[str, ...] = ()

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
        ("gaussian_nll_mse", "bernoulli_nll_bce", "categorical_nll_cce"),
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
    NarrativePage("add-your-own", "Add your own derivation"),
)


@dataclass
class SiteData:
    """Everything the templates may use, gathered by the earlier stages."""

    catalogue: Catalogue
    derivations: dict[str, dict[str, Any]]
    examples: list[dict[str, Any]] = field(default_factory=list)
    experiment: list[dict[str, Any]] = field(default_factory=list)
    plots: dict[str, str] = field(default_factory=dict)  # plot name -> alt text, for plots drawn
    svg: dict[str, bytes] = field(default_factory=dict)  # plot name -> the SVG itself

    def formula(self, name: str, label: str = "result 1", side: str = "") -> Math:
        """The verified relation ``label`` of ``name`` (or its ``lhs``/``rhs``), as Math."""
        data = self.derivations.get(name)
        if data is None:
            raise BuildError(f"formula({name!r}, {label!r}): no derivation {name!r} in this build")
        found = next((r for r in data["steps"] + data["results"] if r["label"] == label), None)
        if found is None:
            labels = ", ".join(r["label"] for r in data["steps"] + data["results"])
            raise BuildError(f"formula({name!r}, {label!r}): no such relation; {name} has {labels}")
        tex = found[side] if side else found["latex"]
        return Math(tex, f"{name}, {label}" + (f" ({side})" if side else ""), found["passed"])

    def symbol(self, name: str, attribute: str, index: str = "") -> Math:
        """A shared symbol that derivation ``name`` prints, as Math: prose names a variable with it.

        ``attribute`` and ``index`` are names in :mod:`derive.model.symbols`: ``symbol("entropy", "pv", "k")``
        is the entry of the probability vector, printed by SymPy as the derivation prints it.
        """
        import sympy as sp

        from derive.model import symbols
        from derive.printing import latex

        where = f"symbol({name!r}, {attribute!r}{f', {index!r}' if index else ''})"
        data = self.derivations.get(name)
        if data is None:
            raise BuildError(f"{where}: no derivation {name!r} in this build")
        found = getattr(symbols, attribute, None)
        position = getattr(symbols, index, None) if index else None
        if isinstance(found, sp.IndexedBase) and isinstance(position, sp.Symbol):
            found = found[position]
        elif not isinstance(found, sp.Symbol) or index:
            raise BuildError(f"{where}: not a symbol of derive.model.symbols (an IndexedBase needs an index symbol)")
        tex = latex(found)
        # the symbol as a token of some relation's LaTeX, not as letters inside a command or a longer name
        token = re.compile(r"(?<![A-Za-z\\])" + re.escape(tex) + r"(?![A-Za-z])")
        if not any(token.search(r["latex"]) for r in data["steps"] + data["results"]):
            raise BuildError(f"{where}: {name} prints no {tex}")
        return Math(tex, f"{name}, symbol {attribute}{f'[{index}]' if index else ''}", data["report"]["passed"])

    def why(self, name: str, label: str = "result 1") -> str:
        """The one-line reason recorded for a relation (prose, not math)."""
        self.formula(name, label)
        data = self.derivations[name]
        return next(r["why"] for r in data["steps"] + data["results"] if r["label"] == label)

    def link(self, name: str, text: str = "") -> str:
        """A Markdown link to a derivation page, from any generated page."""
        if name not in self.derivations:
            raise BuildError(f"link({name!r}): no derivation {name!r} in this build")
        title = text or self.derivations[name]["title"]
        return f"[{title}](../{DERIVATIONS_DIR}/{name}.md)"

    def cite(self, markdown: str) -> str:
        """Markdown with each derivation named as code (`` `bce_sigmoid_grad` ``) turned into a link to its page.

        Every mention of another derivation links to it; a code span naming anything else stays code.
        """

        def link(match: re.Match[str]) -> str:
            name = match.group(1)
            return self.link(name) if name in self.derivations else match.group(0)

        return re.sub(r"`([a-z][a-z0-9_]*)`", link, markdown)

    def plot(self, name: str, caption: str = "") -> str:
        """A plot drawn in this build, as a figure with its caption (what to see in it), by default its alt text."""
        if name not in self.plots:
            raise BuildError(f"plot({name!r}): no such plot in this build")
        words = caption or self.plots[name]
        return (
            f'<figure markdown="span">\n![{self.plots[name]}](../{PLOTS_DIR}/{name}.svg)\n'
            f"<figcaption>{words}</figcaption>\n</figure>"
        )

    def example(self, name: str) -> dict[str, Any]:
        """One worked example, with its LaTeX wrapped as Math."""
        for found in self.examples:
            if found["name"] == name:
                return wrap_example(found)
        known = ", ".join(e["name"] for e in self.examples)
        raise BuildError(f"example({name!r}): no such worked example; there are: {known}")

    def globals(self) -> dict[str, Any]:
        """The functions every narrative template may call."""
        return {
            "formula": self.formula,
            "why": self.why,
            "symbol": self.symbol,
            "link": self.link,
            "plot": self.plot,
            "example": self.example,
            "has": lambda name: name in self.derivations,
        }


def wrap_example(found: dict[str, Any]) -> dict[str, Any]:
    inputs = found.get("inputs", "")
    return {
        **found,
        "math": Math(found["latex"], f"example {found['name']}", found["passed"]),
        # the values put in are data, not a claim: printed from SymPy objects, nothing to check
        "inputs": Math(inputs, f"example {found['name']}, inputs", True) if inputs else None,
    }


def wrap_derivation(data: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    """A derivation's page data with every LaTeX string as Math and links resolved."""
    name, passed = data["name"], data["report"]["passed"]

    def relation(r: dict[str, Any]) -> dict[str, Any]:
        source = f"{name}, {r['label']}"
        return {
            **r,
            "math": Math(r["latex"], source, r["passed"]),
            "where": [_assumption(w, f"{source} (where)", r["passed"]) for w in r["where"]],
        }

    def link(other: str) -> dict[str, Any]:
        present = catalogue.has(other)
        return {"name": other, "title": catalogue.info(other).title if present else other, "present": present}

    return {
        **data,
        "assumptions": [_assumption(a, f"{name}, assumptions", passed) for a in data["assumptions"]],
        "notation": [Math(n, f"{name}, notation", passed) for n in data["notation"]],
        "named": [
            {
                **n,
                "math": Math(n["latex"], f"{name}, named {n['symbol']}", passed),
                "check": relation(n["check"]) if n["check"] else None,
            }
            for n in data.get("named", [])
        ],
        "steps": [relation(r) for r in data["steps"]],
        "results": [relation(r) for r in data["results"]],
        "uses": [link(u) for u in data["uses"]],
        "used_by": [link(u) for u in catalogue.used_by.get(name, [])],
    }


def _assumption(a: dict[str, Any], source: str, passed: bool) -> dict[str, Any]:
    return {
        **a,
        "symbol": Math(a["symbol"], source, passed),
        "relations": [Math(t, source, passed) for t in a["relations"]],
    }


def available(page: NarrativePage, data: SiteData, templates: Path) -> str:
    """Why a narrative page cannot be built now ("" if it can); a missing template is a BuildError.

    Every page of :data:`NARRATIVE` has a template: a missing one is a broken
    checkout, not a page to leave out of the site.
    """
    if not (templates / page.template).exists():
        raise BuildError(f"templates/{page.template}: no such template, but the site lists the page {page.slug!r}")
    missing = [n for n in page.requires if n not in data.derivations]
    if missing:
        return "needs " + ", ".join(missing)
    return ""
