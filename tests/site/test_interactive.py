"""The interactive figures and exercises in a real browser (Debian's Chromium via Playwright), fully offline.

Each figure is driven with the keyboard; the values it displays are read back
and compared with :mod:`derive.numeric` at the same points to 1e-9 relative
(the curvatures, which ``derive.numeric`` lacks, with the verified result in
50-digit arithmetic; the training replay with the experiment's own Python).
Each exercise gets right, equivalent, wrong and malformed answers.  No request
may leave 127.0.0.1 and the console must stay free of errors.  Without
JavaScript, the static figures stay.  The new scripts load only where used,
within 150 KB compressed per page.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest

import derive
from derive import numeric
from derive.site.content.experiment import train_from
from derive.verify.evaluate import compile_expr

playwright_api = pytest.importorskip("playwright.sync_api")

WHY = "generated/guide/why-cross-entropy/"
CURVATURE = "generated/guide/curvature/"
NEW_SCRIPTS = re.compile(r"(generated/js/|assets/js/derive-|assets/vendor/jsep/)")
BUDGET = 150 * 1024  # bytes of new JavaScript per page, gzip-compressed


# The server and browser fixtures are the site tests' own (tests/site/conftest.py).


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page that records console errors and blocks (and records) any request off 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))

    def route(r: Any) -> None:
        if r.request.url.startswith("http://127.0.0.1:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    tab.route("**/*", route)
    yield tab
    context.close()
    assert errors == [], errors
    assert outside == [], outside


def _open(page: Any, url: str, selector: str) -> Any:
    page.goto(url, wait_until="networkidle")
    found = page.locator(selector)
    found.and_(page.locator("[data-ready]")).wait_for(timeout=10_000)
    return found


def _number(text: str) -> float:
    return float(text.strip().replace("−", "-"))


def _read(root: Any, quantity: str) -> float:
    return _number(root.locator(f"[data-quantity='{quantity}']").first.inner_text())


def _close(shown: float, reference: float) -> bool:
    return abs(shown - reference) <= 1e-9 * abs(reference) + 1e-300


def _all_labelled(root: Any) -> bool:
    return root.evaluate(
        "r => Array.from(r.querySelectorAll('input, select')).every(e => e.labels && e.labels.length > 0)"
    )


def _curvature(index: int, z: float, y: float) -> float:
    expr = derive.get("sigmoid_losses_curvature").results[index].rhs
    env = {s: mpmath.mpf(z if s.name == "z" else y) for s in expr.free_symbols}
    with mpmath.workdps(50):
        return float(compile_expr(expr)(env))


def _check_sigmoid(figure: Any) -> tuple[float, float]:
    z = _read(figure, "logit")
    y = float(figure.locator("input[type=radio]:checked").get_attribute("value"))
    zs, ys = np.array([z]), np.array([y])
    expected = {
        "prediction": float(numeric.sigmoid(zs)[0]),
        "ce_loss": float(numeric.bce_with_logits(zs, ys, reduction="sum")),
        "ce_gradient": float(numeric.bce_with_logits_grad(zs, ys, reduction="sum")[0]),
        # derive.numeric's mse is (a - y)^2 as in the frameworks; the catalogue's squared error is half of it
        "se_loss": float(numeric.mse(numeric.sigmoid(zs), ys, reduction="sum")) / 2,
        "se_gradient": float(numeric.mse_sigmoid_grad(zs, ys, reduction="sum")[0]) / 2,
        "ce_curvature": _curvature(0, z, y),
        "se_curvature": _curvature(2, z, y),
    }
    for quantity, reference in expected.items():
        shown = _read(figure, quantity)
        assert _close(shown, reference), (z, y, quantity, shown, reference)
    return z, y


def test_sigmoid_figure_follows_the_keyboard_and_matches_derive_numeric(page: Any, server: str) -> None:
    figure = _open(page, server + WHY, "#interactive-sigmoid")
    assert _all_labelled(figure)
    slider = figure.locator("input[type=range]")
    slider.focus()
    for _ in range(13):
        page.keyboard.press("ArrowRight")
    z, y = _check_sigmoid(figure)
    assert (z, y) == (-2.7, 1.0)
    figure.locator("input[type=radio]:checked").focus()
    page.keyboard.press("ArrowLeft")  # arrow keys move the choice within the radio group: label 0
    assert _check_sigmoid(figure) == (-2.7, 0.0)
    exact = figure.get_by_label("Logit, exact (any number)")
    for logit in ("1000", "-1000", "0.3"):
        exact.fill(logit)
        assert _check_sigmoid(figure)[0] == float(logit)
    exact.fill("1000")
    assert _read(figure, "ce_loss") == 1000.0  # label 0, logit 1000: the stable form, not inf
    assert "saturated" in figure.inner_text()


def test_softmax_figure_follows_the_keyboard_and_matches_derive_numeric(page: Any, server: str) -> None:
    figure = _open(page, server + WHY, "#interactive-softmax")
    assert _all_labelled(figure)
    figure.get_by_label("Number of classes (3 to 10)").focus()
    page.keyboard.press("ArrowUp")  # 4 -> 5 classes
    sliders = figure.locator(".derive-logits input[type=range]")
    assert sliders.count() == 5
    sliders.nth(2).focus()
    for _ in range(7):
        page.keyboard.press("ArrowLeft")
    figure.get_by_label("True class").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    rows = figure.locator("table.derive-values tbody tr")
    assert rows.count() == 5
    logits = [_read(rows.nth(k), "logit") for k in range(5)]
    assert logits[2] == pytest.approx(-1.7)
    truth = [k for k in range(5) if "(true)" in rows.nth(k).inner_text()]
    assert truth == [2]
    z = np.array([logits])
    y = np.eye(5)[[2]]
    size = z.shape[-1]
    expected = {
        "probability": numeric.softmax(z)[0],
        "ce_gradient": numeric.softmax_cross_entropy_grad(z, y, reduction="sum")[0],
        # derive.numeric's softmax_mse is the mean over the K classes; the catalogue's is the sum
        "se_gradient": size * numeric.softmax_mse_grad(z, y, reduction="mean")[0],
    }
    for quantity, reference in expected.items():
        for k in range(5):
            shown = _read(rows.nth(k), quantity)
            assert _close(shown, float(reference[k])), (quantity, k, shown, reference[k])
    assert _close(_read(figure, "ce_loss"), float(numeric.softmax_cross_entropy(z, y, reduction="sum")))
    assert _close(_read(figure, "se_loss"), size * float(numeric.softmax_mse(z, y, reduction="mean")))


def test_jacobian_heat_map_follows_the_keyboard_and_matches_derive_numeric(page: Any, server: str) -> None:
    figure = _open(page, server + CURVATURE, "#interactive-jacobian")
    assert _all_labelled(figure)
    sliders = figure.locator(".derive-logits input[type=range]")
    sliders.nth(1).focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    figure.get_by_label("Probability of class (row)").focus()
    page.keyboard.press("ArrowDown")
    figure.get_by_label("Logit of class (column)").focus()
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    logits = [_number(o.inner_text()) for o in figure.locator(".derive-logits output").all()]
    assert logits[1] == pytest.approx(1.5)
    probabilities = numeric.softmax(np.array(logits))
    jacobian = np.diag(probabilities) - np.outer(probabilities, probabilities)
    assert _close(_read(figure, "jacobian"), float(jacobian[1, 3]))
    cells = figure.locator("svg.derive-heat rect title").evaluate_all("titles => titles.map(t => t.textContent)")
    assert len(cells) == len(logits) ** 2
    for text in cells:
        row, column, value = re.match(r"row (\d+), column (\d+): (.+)", text).groups()
        assert _close(_number(value), float(jacobian[int(row) - 1, int(column) - 1])), text


def test_training_replay_matches_the_experiment(page: Any, server: str) -> None:
    figure = _open(page, server + WHY, "#interactive-training")
    assert _all_labelled(figure)
    figure.get_by_label("Starting weight").focus()
    for _ in range(5):
        page.keyboard.press("ArrowDown")  # 2 -> 1.5
    figure.get_by_label("Starting bias").fill("1")
    figure.get_by_label("Learning rate").fill("0.3")
    figure.get_by_label("Steps (1 to 5000)").fill("400")
    for short, loss in (("ce", "bce"), ("se", "mse")):
        run = train_from(1.5, 1.0, loss, 0.3, 400, 0.1)
        steps = figure.locator(f"[data-quantity='{short}-steps']").inner_text()
        assert steps == (str(run.steps_to_below) if run.steps_to_below is not None else "not within 400 steps")
        assert _close(_read(figure, f"{short}-output"), run.outputs[-1])
        assert _close(_read(figure, f"{short}-loss"), run.losses[-1])
    figure.get_by_label("Learning rate").fill("-1")
    assert "learning rate must be positive" in figure.locator(".derive-message").inner_text()


ANSWERS = {
    "bce_sigmoid_grad": {
        # -a^2 is minus (a squared), as in mathematics: the last form is a - y only if it is read so
        "equal": [
            "a - y",
            "sigma(z) - y",
            "1/(1 + exp(-z)) - y",
            "1/(1 + e^(-z)) - y",
            "σ(z) - y",
            "-a^2 + a^2 + a - y",
        ],
        "different": ["y - a", "(a - y)*a*(1 - a)"],
    },
    "mse_sigmoid_grad": {
        "equal": ["(a - y)*a*(1 - a)", "(sigma(z) - y)*sigma(z)*(1 - sigma(z))", "(a - y)*exp(-z)/(1 + exp(-z))^2"],
        "different": ["a - y", "(y - a)*a*(1 - a)", "(a - y)*a^2"],
    },
    "cce_softmax_grad": {
        "equal": ["a_i - y_i", "a[i] - y[i]", "-(y_i - a_i)"],
        "different": ["y_i - a_i", "a_i*(1 - a_i)*(a_i - y_i)"],
    },
    "softmax_jacobian": {
        "equal": ["a_i*(delta_ij - a_j)", "a_i*delta_ij - a_i*a_j", "a[i]*(delta_ij - a[j])"],
        "different": ["a_i*(1 - a_j)", "-a_i*(delta_ij - a_j)", "a_i*delta_ij"],
    },
    "two_layer_sigmoid_grad": {
        "equal": ["(a - y)*a*(1 - a)*h", "(sigma(w2*h + b2) - y)*a*(1 - a)*sigma(w1*x + b1)"],
        "different": ["(a - y)*h", "(y - a)*a*(1 - a)*h"],
    },
}
MALFORMED = ["a - * y", "2a", "a(1 - a)", "q + 1", "exp(1, 2)", ""]


@pytest.mark.parametrize("name", list(ANSWERS))
def test_exercise_accepts_equal_forms_and_rejects_wrong_and_malformed_ones(page: Any, server: str, name: str) -> None:
    box = _open(page, f"{server}generated/derivations/{name}/", f"#exercise-{name}")
    assert _all_labelled(box)
    answer, verdict = box.locator("input.derive-answer"), box.locator(".derive-verdict")
    for expected, texts in (*ANSWERS[name].items(), ("error", MALFORMED)):
        for text in texts:
            answer.fill(text)
            answer.press("Enter")
            assert verdict.get_attribute("data-verdict") == expected, (name, text, verdict.inner_text())
            message = verdict.inner_text()
            assert "\n" not in message.strip()
            if expected == "different":
                yours, verified = re.search(r"yours gives (\S+), the verified result gives (\S+)\.$", message).groups()
                assert yours != verified, message


def test_without_javascript_the_static_figures_stay(browser: Any, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(server + WHY, wait_until="networkidle")
    for name in ("sigmoid", "softmax", "training"):
        image = tab.locator(f"#interactive-{name} img.derive-static")
        assert image.is_visible()
        assert image.evaluate("i => i.complete && i.naturalWidth > 0")
    tab.goto(f"{server}generated/derivations/bce_sigmoid_grad/", wait_until="networkidle")
    assert tab.locator(".derive-needs-script").is_visible()
    context.close()


def _new_scripts(site: Path, page: Path) -> list[Path]:
    html = page.read_text(encoding="utf-8")
    out = []
    for source in re.findall(r'<script[^>]*\ssrc="([^"]+)"', html):
        path = (page.parent / source).resolve()
        if path.is_relative_to(site.resolve()) and NEW_SCRIPTS.match(path.relative_to(site.resolve()).as_posix()):
            out.append(path)
    return sorted(set(out))


def test_new_javascript_loads_only_where_used_and_fits_the_budget(built_site: Path) -> None:
    pages = sorted(built_site.rglob("index.html"))
    sizes = {}
    for page in pages:
        scripts = _new_scripts(built_site, page)
        if scripts:
            compressed = sum(len(gzip.compress(script.read_bytes(), 9)) for script in scripts)
            sizes[str(page.parent.relative_to(built_site))] = compressed
    with_exercise = {f"generated/derivations/{name}" for name in ANSWERS}
    assert set(sizes) == {WHY.rstrip("/"), CURVATURE.rstrip("/")} | with_exercise
    assert max(sizes.values()) <= BUDGET, sizes
    generated = (built_site / "generated" / "js" / "derive-functions.js").resolve()
    assert generated in _new_scripts(built_site, built_site / WHY / "index.html")
