"""The site generator: provenance of every formula, safety of the output, errors users can act on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sympy as sp

import derive
from derive.errors import BuildError
from derive.model.activations import sigmoid
from derive.model.derivation import Body, Entry, Step, eq
from derive.model.domain import LOGIT, Domain
from derive.printing import latex
from derive.site.data import DerivationPage
from derive.site.pipeline import build_site, project_root
from derive.site.render import MARKER, GeneratedFiles, MathRecord, environment, render

ROOT = project_root()
GENERATED = ROOT / "docs" / "generated"
DISPLAY = re.compile(r"^( *)\$\$\n(.*?)\n\1\$\$$", re.S | re.M)
INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)\$")
INLINE_PAREN = re.compile(r"(?<!\\)\\\((.+?)(?<!\\)\\\)")  # arithmatex also reads \( ... \) as math
CODE_SPAN = re.compile(r"`[^`\n]*`")


def _math_in(markdown: str) -> list[str]:
    found = [m.group(2) for m in DISPLAY.finditer(markdown)]
    rest = DISPLAY.sub("", markdown)
    rest = re.sub(r"```.*?```", "", rest, flags=re.S)  # code blocks hold no math
    return found + INLINE.findall(rest) + INLINE_PAREN.findall(CODE_SPAN.sub("", rest))


# Formulas typed into prose, outside math. Tuned on what the first scan of the site found ("-2 a_p (1 - a_p)^2",
# "a(1 - a)", "y = 1", "-ln p", "dL/dz", "|z|", "σ′(z)") and on the site's English, which they must not flag.
FORMULA_LIKE = {
    "subscript": r"(?<![\w\\])[A-Za-z]_\{?[A-Za-z0-9]",
    "power": r"\^",
    "one minus": r"\(\s*1\s*[-−]\s*[A-Za-z]\b",
    "operator": r"(?<![\w.'’])[A-Za-z0-9]\s[-+−*/]\s[A-Za-z](?![\w.'’])",
    "operator on a number": r"(?<![\w.'’])[A-Za-z]\s[-+−*/]\s\d",
    "equation": r"(?<![\w.])[A-Za-z]\s*=\s*-?[\w(]",
    "application": r"(?<![\w.])[A-Za-zσ]\s?\([a-z0-9]\s*[-,)+]",
    "derivative": r"\bd[A-Za-z]/d[a-z]",
    "logarithm": r"(?<!\w)(?:[-−]\s?(?:ln|log|exp)\b|ln\b|(?:log|exp)\s?\()",
    "absolute value": r"\|[a-z]\|",
    "math character": r"[σπμλ∑∂′≤≥≠²]",
}


def _prose(markdown: str) -> str:
    """The text a reader sees as words: no math, code, HTML, link targets or Markdown escapes."""
    text = DISPLAY.sub(" ", markdown)
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = INLINE.sub(" MATH ", text)
    text = CODE_SPAN.sub(" CODE ", text)
    text = INLINE_PAREN.sub(" MATH ", text)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"<[^>\n]+>", " ", text)
    text = re.sub(r"\]\([^)\s]*\)", "] ", text)
    return re.sub(r"\\([\\_*\[\]|`])", r"\1", text)


def _formula_like(markdown: str) -> list[str]:
    """Each formula-like piece of prose, with its pattern's name and some context."""
    found = []
    for line in _prose(markdown).splitlines():
        for name, pattern in FORMULA_LIKE.items():
            for match in re.finditer(pattern, line):
                found.append(f"{name}: ...{line[max(0, match.start() - 25) : match.end() + 25]}...")
    return found


# Typed formulas the site had in its prose (claims, headings, page text, plot legends): each must be caught.
TYPED = (
    "MSE through softmax has gradient -2 a\\_p (1 - a\\_p)^2 with respect to the true class's logit.",
    "A Lagrange-multiplier argument gives the minimiser (1 - a_p)/(K - 1) for each wrong class.",
    "The derivative of a softmax output with respect to its own logit is a_p (1 - a_p).",
    "but every other logit matters too (the off-diagonal entries -a_i a_j)",
    "For two sigmoid layers under (a_2 - y)^2/2, the gradient for w_2 is (a_2 - y) a_2 (1 - a_2) a_1.",
    "## The gradient: the extra factor a(1 - a)",
    "The Bernoulli distribution gives probability a to y = 1 and 1 - a to y = 0, and a single product",
    "For a distribution it reduces to a - y only because the label sums to one.",
    "The factor is harmless near a = 1/2 but ruinous when the model is confidently wrong",
    "Additivity and monotonicity leave only -ln p, up to the base of the logarithm.",
    "every MSE gradient carries the sigmoid's slope, which vanishes for large |z|",
    "3. chain rule: dL/dz = dL/da * da/dz:",
    "the sigmoid and σ′(z) = σ(z)(1 − σ(z))",
)
ENGLISH = (
    "Over a data set the log of the product is a sum, so the loss of a data set is the sum of the losses.",
    "Poisson counts with a log link give the Poisson loss ([derivation](../derivations/poisson_nll_grad.md)).",
    "For three classes the squared error prefers the prediction (0.8, 0.1, 0.1) to (0.8, 0.15, 0.05).",
    "Worked example: $- \\log{\\left(\\frac{7}{10} \\right)}$ = 0.3567 (quoted as 0.36).",
    "For a yes/no target, let the model predict the probability of a yes; a no gets one minus it.",
    "The gradient of cross-entropy through softmax, at the true class's logit, is its probability minus one.",
    "| Bernoulli | sigmoid | binary cross-entropy | $a - y$ |",
    "Keras calls it `sparse_categorical_crossentropy`; see [`mse_softmax_grad`](x.md).",
    "```python\nloss = (a - y)**2 / 2\n```",
)


def test_prose_scan_catches_typed_formulas_and_passes_english() -> None:
    for typed in TYPED:
        assert _formula_like(typed), typed
    for english in ENGLISH:
        assert not _formula_like(english), (english, _formula_like(english))


def test_every_formula_comes_from_a_checked_object(built_site: Path) -> None:
    from derive.site.pages.laid_out import QUOTED

    record = json.loads((GENERATED / "math-record.json").read_text())["math"]
    passed = {entry["tex"] for entry in record if entry["passed"]}
    # The claims audit quotes the source's own formulas (typos included), marked as quotations, never as checked.
    quoted = {entry["tex"] for entry in record if not entry["passed"] and entry["source"].endswith(QUOTED)}
    assert quoted, "the claims audit quotes the source's formulas"
    pages = sorted(GENERATED.rglob("*.md"))
    total = 0
    for page in pages:
        allowed = passed | (quoted if page.name == "claims-audit.md" else set())
        for tex in _math_in(page.read_text()):
            assert tex.strip() in allowed, f"{page.relative_to(ROOT)}: formula not from a passed check: {tex[:80]}"
            total += 1
    assert total > 300


def test_typed_math_is_caught_by_the_scan() -> None:
    markdown = "a formula $x^2$ typed by hand\n\n$$\n\\frac{1}{2}\n$$\n\n```bash\necho $HOME $PATH\n```\n"
    assert _math_in(markdown) == ["\\frac{1}{2}", "x^2"]
    assert _math_in("also \\(y_i\\) typed, but not `\\(code\\)` nor an escaped \\\\(") == ["y_i"]


GUIDE_PAGES = ("information", "likelihood", "why-cross-entropy", "prediction-minus-target", "curvature")
GUIDE_PAGES += ("sparse-labels", "claims-audit", "add-your-own")


@pytest.mark.parametrize("page", [*(f"generated/guide/{slug}.md" for slug in GUIDE_PAGES), "index.md"])
def test_guide_prose_says_formulas_in_words(built_site: Path, page: str) -> None:
    """Narrative pages and the home page: every formula is math from the record, never typed into the text."""
    found = _formula_like((ROOT / "docs" / page).read_text())
    assert not found, f"{page}: formulas typed into prose:\n" + "\n".join(found)


def test_worked_examples_prose_says_formulas_in_words(built_site: Path) -> None:
    found = _formula_like((GENERATED / "guide" / "worked-examples.md").read_text())
    assert not found, "worked examples: formulas typed into prose:\n" + "\n".join(found)


def test_derivation_pages_say_formulas_in_words(built_site: Path) -> None:
    pages = sorted((GENERATED / "derivations").glob("*.md"))
    found = [f"{page.name}: {typed}" for page in pages for typed in _formula_like(page.read_text())]
    assert not found, f"{len(found)} formulas typed into prose:\n" + "\n".join(found[:40])


def test_a_reason_typing_a_formula_is_caught_and_a_symbol_placeholder_is_math() -> None:
    """A reason goes through the `text` filter: typed math stays prose (and is flagged), {name} becomes math."""
    record = MathRecord()
    env = environment(ROOT / "templates", record)
    typed = env.from_string("{{ why | text }}").render(why="the gradient is a_i - y_i for every class")
    assert _formula_like(typed)
    named = env.from_string("{{ why | text }}").render(why="the Kronecker delta keeps the term of class {j} of {K}")
    assert named == "the Kronecker delta keeps the term of class $j$ of $K$" and not _formula_like(named)
    assert [(e["tex"], e["passed"]) for e in record.entries] == [("j", True), ("K", True)]
    assert env.from_string("{{ w | text }}").render(w="the probability {a_i}") == "the probability $a_{i}$"


@pytest.mark.parametrize(
    ("why", "complaint"),
    [
        ("write {1 - a} for the rest", "a placeholder names one symbol"),
        ("the error {a} - {y}", "a symbol in an expression"),
        ("a set {0, 1} of labels", "a placeholder names one symbol"),
        ("a lone } brace", "a lone brace"),
    ],
)
def test_a_placeholder_that_is_not_a_symbol_name_stops_the_build(why: str, complaint: str) -> None:
    env = environment(ROOT / "templates", MathRecord())
    with pytest.raises(BuildError, match=complaint):
        render(env, "derivation.md.j2", {"d": _page_with_reason(why)})


def _page_with_reason(why: str) -> DerivationPage:
    """The data of one derivation page (from the real pipeline), its first step's reason replaced by ``why``."""
    import dataclasses

    from derive.site.collect import collect
    from derive.site.pages.derivation_pages import page_view
    from derive.site.printed import derivation_data

    derivation = derive.get("sigmoid_derivative")
    data = derivation_data(derivation, derivation.check(points=2))
    first = dataclasses.replace(data.steps[0], why=why)
    return page_view(dataclasses.replace(data, steps=(first, *data.steps[1:])), collect())


def test_show_prints_placeholders_as_the_terminal_prints_symbols(capsys: pytest.CaptureFixture[str]) -> None:
    from derive.cli.show import print_derivation

    jacobian = derive.get("softmax_jacobian")
    assert "{j}" in jacobian.steps[2].why and "{K}" in jacobian.steps[2].why
    print_derivation(jacobian)
    out = capsys.readouterr().out
    assert "whose index is j, a class between 1 and K" in out and "{" not in out
    print_derivation(jacobian, use_latex=True)
    assert "whose index is $j$, a class between 1 and $K$" in capsys.readouterr().out


def test_titles_are_words_only() -> None:
    """The navigation and the guide's links print titles as plain text: no symbol placeholders there."""
    from derive.registry import all_entries

    for name, entry in all_entries().items():
        title = entry.title
        assert "{" not in title and not _formula_like(title), (name, title)


def test_a_listed_page_without_its_template_stops_the_build(tmp_path: Path) -> None:
    from derive.site import write
    from derive.site.collect import collect
    from derive.site.data import SiteData
    from derive.site.pages.guide_pages import NarrativePage

    (tmp_path / "templates").symlink_to(ROOT / "templates")
    with pytest.raises(BuildError, match=r"^templates/pages/zz-missing\.md\.j2: no such template.*'zz-missing'$"):
        write.write_all(SiteData(collect(), {}), tmp_path, guide=(NarrativePage("zz-missing", "Missing"),))


def test_every_derivation_has_a_page(built_site: Path) -> None:
    for name in derive.names():
        page = GENERATED / "derivations" / f"{name}.md"
        assert page.exists(), name
        assert MARKER in page.read_text().splitlines()[0]
        assert (built_site / "generated" / "derivations" / name / "index.html").exists()


def test_narrative_pages_and_plots_are_built(built_site: Path) -> None:
    slugs = ("information", "likelihood", "why-cross-entropy", "prediction-minus-target", "curvature")
    for slug in (*slugs, "sparse-labels", "worked-examples", "claims-audit"):
        assert (built_site / "generated" / "guide" / slug / "index.html").exists(), slug
    for plot in ("sigmoid", "gradient-sigmoid", "gradient-softmax", "losses", "training", "curvature-sigmoid"):
        assert (built_site / "generated" / "plots" / f"{plot}.svg").exists(), plot


def test_templates_get_no_math_but_verified_math(tmp_path: Path) -> None:
    env = environment(tmp_path, MathRecord())
    with pytest.raises(BuildError, match="only verified math"):
        env.from_string("{{ '$x$' | display }}").render()


def test_broken_template_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "broken.md.j2").write_text("{#- data: d -#}\n# Title\n\n{{ d.missing }}\n")
    (tmp_path / "syntax.md.j2").write_text("line one\n{% for x in %}\n")
    env = environment(tmp_path, MathRecord())
    with pytest.raises(BuildError, match=r"^templates/broken\.md\.j2:4: .*missing"):
        render(env, "broken.md.j2", {"d": {}})
    with pytest.raises(BuildError, match=r"^templates/syntax\.md\.j2:2: "):
        render(env, "syntax.md.j2", {})


def test_generator_never_overwrites_a_file_it_did_not_write(tmp_path: Path) -> None:
    files = GeneratedFiles(tmp_path)
    (tmp_path / "mine.md").write_text("hand-written notes\n")
    with pytest.raises(BuildError, match="was not written by derive build"):
        files.write("mine.md", f"<!-- {MARKER} -->\nnew\n")
    assert (tmp_path / "mine.md").read_text() == "hand-written notes\n"
    files.write("ours.md", f"<!-- {MARKER} -->\n")
    (tmp_path / "old.md").write_text(f"<!-- {MARKER} -->\nstale\n")
    assert files.finish() == [tmp_path / "old.md"]
    assert (tmp_path / "mine.md").exists() and (tmp_path / "ours.md").exists()


def test_plots_are_byte_identical() -> None:
    from derive.site.figures import draw, sigmoid

    assert draw(sigmoid) == draw(sigmoid)


def test_two_builds_give_identical_markdown(built_site: Path) -> None:
    before = {p: p.read_bytes() for p in GENERATED.rglob("*") if p.is_file()}
    build_site(ROOT, built_site, progress=lambda _: None, run_mkdocs_stage=False, reuse=False)
    after = {p: p.read_bytes() for p in GENERATED.rglob("*") if p.is_file()}
    assert before == after


def test_a_build_with_nothing_changed_reuses_the_pages(built_site: Path) -> None:
    timings = build_site(ROOT, built_site, progress=lambda _: None, run_mkdocs_stage=False)
    assert "reuse" in timings and "verify" not in timings
    # a generated page edited by hand is not trusted: the next build renders the pages again
    page = next(p for p in sorted(GENERATED.rglob("*.md")))
    original = page.read_bytes()
    page.write_bytes(original + b"\nedited by hand\n")
    try:
        timings = build_site(ROOT, built_site, progress=lambda _: None, run_mkdocs_stage=False)
        assert "reuse" not in timings and page.read_bytes() == original
    finally:
        page.write_bytes(original)


def _wrong() -> Body:
    z = sp.Symbol("z", real=True)
    # the sigmoid's slope with the (1 - a) factor dropped: must be rejected
    return Body(Domain({z: LOGIT}), (), (Step(eq(sp.Derivative(sigmoid(z), z), sigmoid(z)), "a wrong slope"),))


def test_failing_check_fails_the_build_and_keeps_the_site(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from derive import registry
    from derive.site.mkdocs_stage import SITE_MARKER

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site")
    (site / SITE_MARKER).write_text("a site of ours, so the build may replace it\n")
    monkeypatch.setitem(registry._extra, "zz_wrong_slope", Entry("zz_wrong_slope", "Wrong", (), _wrong, __name__))
    with pytest.raises(BuildError, match=r"derivation 'zz_wrong_slope' fails its check: result 1 fails at z="):
        build_site(ROOT, site, progress=lambda _: None)
    assert (site / "index.html").read_text() == "previous site"


def test_cache_keys_cover_the_code_that_made_each_entry() -> None:
    from derive.site.collect import collect
    from derive.site.keys import entry_files

    catalogue = collect()
    focal = {p.name for p in entry_files(catalogue, "focal_sigmoid_grad")}
    assert {"through.py", "infer_kinds.py", "focal.py", "sigmoid_grads.py", "check.py"} <= focal
    # helpers imported from another catalogue module count, though not listed in `uses`
    curvature = {p.name for p in entry_files(catalogue, "sigmoid_losses_curvature")}
    assert {"sigmoid_curvature.py", "curvature_kinds.py", "sigmoid_grads.py"} <= curvature


def _sources_on(page: str) -> set[str]:
    """The derivation names behind the formulas the math record holds for one guide page's Markdown."""
    record = json.loads((GENERATED / "math-record.json").read_text())["math"]
    on_page = {tex.strip() for tex in _math_in((GENERATED / "guide" / page).read_text())}
    # one formula can come from two derivations (the Poisson gradient is also an exponential-family instance)
    return {entry["source"].split(",")[0] for entry in record if entry["tex"] in on_page}


def test_prediction_minus_target_page_quotes_the_exponential_family(built_site: Path) -> None:
    sources = _sources_on("prediction-minus-target.md")
    expected = {"exponential_family_grad", "poisson_nll_grad", "laplace_nll_mae", "label_smoothing_grad"}
    assert expected | {"bce_sigmoid_grad", "cce_softmax_grad", "mse_sigmoid_grad", "saturation_limits"} <= sources
    markdown = (GENERATED / "guide" / "prediction-minus-target.md").read_text()
    # the general result, the matched instances and the sign(f - y) contrast, as printed from the catalogue
    for name, label in (("exponential_family_grad", "result 1"), ("exponential_family_grad", "result 4")):
        assert latex(derive.get(name).conclusions[int(label.split()[1]) - 1].eq) in markdown
    assert "\\operatorname{sign}" in markdown
    assert "(../derivations/exponential_family_grad.md)" in markdown and "(curvature.md)" in markdown


def test_curvature_page_quotes_hessian_and_convexity_and_shows_the_plot(built_site: Path) -> None:
    sources = _sources_on("curvature.md")
    assert {"sigmoid_losses_curvature", "cce_softmax_hessian", "logsumexp_shift"} <= sources
    markdown = (GENERATED / "guide" / "curvature.md").read_text()
    hessian = derive.get("cce_softmax_hessian")
    assert latex(hessian.conclusions[0].eq) in markdown  # diag(a) - a a^T
    assert latex(hessian.conclusions[3].eq) in markdown  # v^T H v >= 0
    assert "\\geq 0" in markdown and "\\log 2" in markdown  # PSD, and the sign change at -ln 2
    assert "](../plots/curvature-sigmoid.svg)" in markdown
    html = (built_site / "generated" / "guide" / "curvature" / "index.html").read_text()
    assert "curvature-sigmoid.svg" in html


def test_guide_navigation_holds_the_new_pages_and_entries(built_site: Path) -> None:
    sections = json.loads((GENERATED / "nav.json").read_text())["sections"]
    guide = [next(iter(item.values())) for item in sections["Guide"]]
    assert guide.index("generated/guide/prediction-minus-target.md") < guide.index("generated/guide/curvature.md")
    placed = {
        title: {path.rsplit("/", 1)[-1] for page in pages for path in page.values()}
        for group in sections["Derivations"][1:]
        for title, pages in group.items()
    }
    likelihood = {"exponential_family_grad.md", "poisson_nll_grad.md", "laplace_nll_mae.md"}
    assert likelihood <= placed["Losses from likelihood"]
    assert {"label_smoothing_grad.md", "focal_sigmoid_grad.md"} <= placed["Gradients"]
    curvature = {"cce_softmax_hessian.md", "sigmoid_losses_curvature.md", "logsumexp_shift.md"}
    assert curvature <= placed["Numerics and curvature"]


def test_engine_files_hold_every_module_the_engine_imports() -> None:
    import ast

    from derive.site.keys import ENGINE_FILES, PACKAGE_DIR

    listed = {p.relative_to(PACKAGE_DIR).as_posix() for p in ENGINE_FILES}
    todo, seen = ["model/derivation.py", "verify/check.py", "printing/__init__.py"], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        # top-level imports: a lazy import inside a function (core's code export) is not part of a check
        for node in ast.parse((PACKAGE_DIR / name).read_text()).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("derive."):
                module = node.module.split(".")[1:]
                as_file = "/".join(module) + ".py"
                todo.append(as_file if (PACKAGE_DIR / as_file).exists() else "/".join(module) + "/__init__.py")
    assert seen <= listed, f"engine modules missing from ENGINE_FILES: {sorted(seen - listed)}"
