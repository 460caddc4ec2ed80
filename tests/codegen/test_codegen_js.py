"""JavaScript export: printed by SymPy's JavaScript printer, run under node, equal to the NumPy export.

Every generated function is run by node at random points and at logits of
+-1000 and compared with the NumPy export of the same result and with the
result itself evaluated in 50-digit arithmetic.  The stable helpers are
proved equal to the functions they replace, and the JavaScript export picks
the same stable forms as the NumPy one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
import sympy as sp

import derive
from derive.codegen import source
from derive.codegen_js import HELPERS, javascript, module, stable
from derive.errors import ExportError
from derive.model.activations import sigmoid
from derive.verify.evaluate import compile_expr

NODE = shutil.which("node")
if NODE is None and os.environ.get("CI"):
    pytest.fail("node is not installed: .ci/run installs npm, which brings it", pytrace=False)
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed (.ci/run installs npm, which brings it)")

# (derivation, result index): every function the site computes with, and the NumPy export's results.
RESULTS = [
    ("bce_sigmoid_grad", 0),
    ("mse_sigmoid_grad", 0),
    ("sigmoid_derivative", 0),
    ("cce_softmax_grad", 0),
    ("cce_softmax_grad", 1),
    ("mse_softmax_grad", 0),
    ("softmax_jacobian", 0),
    ("two_layer_sigmoid_grad", 0),
    ("two_layer_sigmoid_grad", 1),
    ("sigmoid_losses_curvature", 0),
    ("sigmoid_losses_curvature", 2),
    ("entropy", 0),
    ("kl_divergence", 0),
]


def run_node(script: str, calls: list[dict[str, Any]], tmp_path: Path) -> list[float | None]:
    """Load ``script`` in node and call ``functions[name](...args)`` for each call; null for non-finite."""
    (tmp_path / "functions.js").write_text(script)
    (tmp_path / "calls.json").write_text(json.dumps(calls))
    driver = (
        "const f = require('./functions.js');"
        "const calls = require('./calls.json');"
        "const out = calls.map(c => f[c.name].call(...c.args));"
        "process.stdout.write(JSON.stringify(out.map(v => Number.isFinite(v) ? v : null)));"
    )
    done = subprocess.run([NODE, "-e", driver], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _sides(name: str, index: int) -> list[tuple[str, sp.Expr]]:
    relation = derive.get(name).results[index]
    out = [(f"{name}_{index + 1}", relation.rhs)]
    lhs = relation.lhs
    if isinstance(lhs, sp.Derivative):  # the loss itself, before differentiation
        out.append((f"{name}_{index + 1}_loss", lhs.expr))
    return out


def _point(expr: sp.Expr, rng: np.random.Generator, extreme: float | None) -> dict[str, Any]:
    """Values for the expression's variables: K classes, 0-based indices, logits (some at +-extreme)."""
    names = {s.name for s in expr.free_symbols if isinstance(s, sp.Symbol)} | {
        b.name for b in expr.atoms(sp.IndexedBase)
    }
    size = int(rng.integers(2, 7))
    values: dict[str, Any] = {}
    for name in sorted(names):
        if name in ("z", "w1", "b1", "w2", "b2", "x") and name in {b.name for b in expr.atoms(sp.IndexedBase)}:
            logits = rng.normal(0, 3, size)
            if extreme is not None:
                logits[0], logits[-1] = extreme, -extreme
            values[name] = logits.tolist()
        elif name in ("p", "q"):
            weights = rng.random(size) + 0.01
            values[name] = (weights / weights.sum()).tolist()
        elif name == "y" and expr.atoms(sp.IndexedBase):
            values[name] = rng.random(size).tolist()
        elif name == "y":
            values[name] = float(rng.random())
        elif name in ("i", "j", "p_"):
            values[name] = int(rng.integers(0, size))
        elif name == "K":
            continue
        else:
            values[name] = float(extreme if extreme is not None and name == "z" else rng.normal(0, 3))
    return values


def _reference(expr: sp.Expr, values: dict[str, Any]) -> float:
    """The SymPy expression at ``values`` in 50-digit arithmetic (indices shifted back to 1..K)."""
    env: dict[Any, Any] = {}
    bases = {b.name: b for b in expr.atoms(sp.IndexedBase)}
    bound = {limit[0] for loop in expr.atoms(sp.Sum) for limit in loop.limits}
    for s in {s for s in expr.free_symbols if isinstance(s, sp.Symbol)} - bound - {b.label for b in bases.values()}:
        if s.name == "K":
            env[s] = len(next(v for k, v in values.items() if k in bases))
        elif isinstance(values[s.name], int):
            env[s] = values[s.name] + 1
        else:
            env[s] = mpmath.mpf(values[s.name])
    for name, base in bases.items():
        env[base] = [None, *(mpmath.mpf(v) for v in values[name])]
    with mpmath.workdps(50):
        return float(compile_expr(expr)(env))


def _close(ours: float | None, reference: float) -> bool:
    return ours is not None and abs(ours - reference) <= 1e-9 * abs(reference) + 1e-12


@needs_node
def test_generated_javascript_matches_the_verified_results_at_random_and_extreme_points(tmp_path: Path) -> None:
    functions = [javascript(n, e) for name, index in RESULTS for n, e in _sides(name, index)]
    expressions = {n: e for name, index in RESULTS for n, e in _sides(name, index)}
    rng = np.random.default_rng(12)
    calls, expected = [], []
    for function in functions:
        expr = expressions[function.name]
        for extreme in (None, None, None, 1000.0, -1000.0):
            values = _point(expr, rng, extreme)
            calls.append({"name": function.name, "args": [values[p] for p in function.parameters]})
            expected.append((function.name, values, _reference(expr, values)))
    got = run_node(module(functions, "// test"), calls, tmp_path)
    wrong = [(n, v, ours, ref) for (n, v, ref), ours in zip(expected, got, strict=True) if not _close(ours, ref)]
    assert wrong == [], wrong[:3]


NUMPY_EXPORTED = ["bce_sigmoid_grad", "mse_sigmoid_grad", "sigmoid_derivative", "cce_softmax_grad", "mse_softmax_grad"]


@needs_node
@pytest.mark.parametrize("name", NUMPY_EXPORTED)
def test_javascript_and_numpy_exports_agree_including_logits_of_1000(name: str, tmp_path: Path) -> None:
    derivation = derive.get(name)
    numpy_function = derivation.to_function()
    function = javascript(name, derivation.result.rhs)
    rng = np.random.default_rng(1)
    vector = bool(derivation.result.rhs.atoms(sp.IndexedBase))
    rows = []
    for extreme in (None, None, 1000.0, -1000.0):
        values = _point(derivation.result.rhs, rng, extreme)
        if vector:
            size = len(values["z"])
            values["y"] = values.get("y", [0.0] * size)
        rows.append(values)
    calls, expected = [], []
    for values in rows:
        arrays = {k: np.array([v]) for k, v in values.items() if k != "i"}
        out = numpy_function(**arrays)[0]
        if vector:  # the NumPy export returns the whole vector over i: one JavaScript call per class
            for i, value in enumerate(out):
                calls.append({"name": name, "args": [i if p == "i" else values[p] for p in function.parameters]})
                expected.append(float(value))
        else:
            calls.append({"name": name, "args": [values[p] for p in function.parameters]})
            expected.append(float(out))
    got = run_node(module([function], "// test"), calls, tmp_path)
    assert all(np.isfinite(expected))
    for ours, theirs in zip(got, expected, strict=True):
        assert _close(ours, theirs), (name, ours, theirs)


@pytest.mark.parametrize("name", [*NUMPY_EXPORTED, "entropy", "kl_divergence"])
def test_javascript_chooses_the_same_stable_forms_as_the_numpy_export(name: str) -> None:
    derivation = derive.get(name)
    numpy_source = source(derivation)
    numpy_helpers = {h.name for h in HELPERS.values() if f"def {h.name}(" in numpy_source}
    rhs_helpers = set(javascript(name, derivation.result.rhs).helpers)
    assert rhs_helpers == numpy_helpers


def test_logarithms_of_activations_are_never_formed_from_the_probability() -> None:
    from derive.model.symbols import y, z

    bce = derive.get("bce_sigmoid_grad").result.lhs.expr
    cce = derive.get("cce_softmax_grad").result.lhs.expr
    assert sorted(javascript("bce", bce).helpers) == ["_log_sigmoid"]
    assert sorted(javascript("cce", cce).helpers) == ["_log_softmax"]
    assert str(stable(sp.log(1 - sigmoid(z)) * y)) == "y*LogSigmoid(-z)"


def test_stable_helpers_are_the_functions_they_replace() -> None:
    x = HELPERS["Sigmoid"].parameters[0]
    logistic = 1 / (1 + sp.exp(-x))
    for value, _condition in HELPERS["Sigmoid"].value.args:
        assert sp.simplify(value - logistic) == 0
    log_sigmoid = HELPERS["LogSigmoid"].value  # -(max(-x, 0) + log1p(exp(-|x|))) against -ln(1 + e^-x)
    with mpmath.workdps(60):
        for point in ("-1000", "-40", "-3.5", "-1e-8", "0", "1e-8", "2.25", "40", "1000"):
            exact = -mpmath.log1p(mpmath.exp(-mpmath.mpf(point)))
            ours = sp.N(log_sigmoid.subs(x, sp.Rational(point)).rewrite(sp.log), 50)
            assert abs(mpmath.mpf(str(ours)) - exact) <= mpmath.mpf("1e-40") * max(1, abs(exact))
    z, i = HELPERS["Softmax"].parameters
    (largest, _), *_ = HELPERS["Softmax"].intermediates
    size = sp.Symbol("K", integer=True, positive=True)
    logits = [mpmath.mpf(t) for t in ("0.5", "-1.25", "3")]
    with mpmath.workdps(50):
        softmax_2 = mpmath.exp(logits[1]) / mpmath.fsum(mpmath.exp(t) for t in logits)
        for shift in (0, 3, -7):  # any shift gives the same value; the helper takes the largest logit
            env = {z: [None, *logits], i: 2, largest: mpmath.mpf(shift), size: 3}
            softmax_value = compile_expr(HELPERS["Softmax"].value)(env)
            log_value = compile_expr(HELPERS["LogSoftmax"].value)(env)
            assert abs(softmax_value - softmax_2) < 1e-40
            assert abs(log_value - mpmath.log(softmax_2)) < 1e-40


@needs_node
def test_helpers_stay_finite_at_logits_of_1000(tmp_path: Path) -> None:
    from derive.model.symbols import z

    functions = [
        javascript("s", sigmoid(z)),
        javascript("ls", sp.log(sigmoid(z))),
        javascript("l1ms", sp.log(1 - sigmoid(z))),
    ]
    calls = [{"name": f.name, "args": [v]} for f in functions for v in (1000.0, -1000.0, 0.0)]
    got = run_node(module(functions, "// test"), calls, tmp_path)
    assert got == [1.0, 0.0, 0.5, -0.0, -1000.0, pytest.approx(-np.log(2)), -1000.0, -0.0, pytest.approx(-np.log(2))]


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (sp.IndexedBase("z")[sp.Symbol("i", integer=True)] * sp.Symbol("i", integer=True), "enters the arithmetic"),
        (sp.Derivative(sigmoid(sp.Symbol("z")), sp.Symbol("z")), "Derivative"),
    ],
)
def test_what_cannot_be_printed_faithfully_is_an_export_error(expr: sp.Expr, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        javascript("f", expr)


def test_a_function_must_receive_every_variable() -> None:
    with pytest.raises(ExportError, match="parameters"):
        javascript("f", sp.Symbol("y") + sp.Symbol("z"), ["z"])
