"""gradient_through reproduces the catalogue, refuses what it cannot derive; `derive through` never runs code."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import mpmath
import pytest
import sympy as sp

import derive
from derive.cli.main import main
from derive.errors import DerivationError, ThroughError
from derive.model.derivation import Step, eq
from derive.model.domain import POSITIVE
from derive.model.symbols import K, a, av, c, i, k, y, yv, zv
from derive.verify.evaluate import compile_expr
from derive.yours.through import gradient_through

BCE = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
MSE = (a - y) ** 2 / 2
CE = -sp.Sum(yv[k] * sp.log(av[k]), (k, 1, K))


def agree(derived: sp.Basic, reference: sp.Basic, domain: derive.Derivation, points: int = 40) -> bool:
    """Whether two closed forms agree at points of the derived derivation's domain (40 digits)."""
    left, right = compile_expr(derived), compile_expr(reference)
    with mpmath.workdps(40):
        for point in domain.domain.points(points, seed=3):
            env = {key: (list(v) if isinstance(v, list) else v) for key, v in point.items()}
            lhs, rhs = left(env), right(env)
            if abs(lhs - rhs) > mpmath.mpf("1e-30") * max(1, abs(lhs), abs(rhs)):
                return False
    return True


@pytest.mark.parametrize(
    ("loss", "prediction", "activation", "catalogue", "slope"),
    [
        (BCE, a, "sigmoid", "bce_sigmoid_grad", "sigmoid_derivative"),
        (MSE, a, "sigmoid", "mse_sigmoid_grad", "sigmoid_derivative"),
        (CE, av, "softmax", "cce_softmax_grad", "softmax_jacobian"),
    ],
)
def test_reproduces_the_catalogue(loss, prediction, activation, catalogue, slope) -> None:
    derived = gradient_through(loss, prediction, activation, name=f"through_{catalogue}")
    reference = derive.get(catalogue).result
    assert derived.uses == (slope,)
    assert derived.result.lhs.has(sp.Derivative)
    assert agree(derived.result.rhs, reference.rhs, derived)
    report = derived.check()
    assert report.passed, report.first_failure.describe()


def test_the_comparison_can_fail() -> None:
    """MSE's gradient through sigmoid is not BCE's: the numeric comparison tells them apart."""
    derived = gradient_through(MSE, a, "sigmoid")
    assert not agree(derived.result.rhs, derive.get("bce_sigmoid_grad").result.rhs, derived)


def test_a_wrong_closed_form_is_rejected() -> None:
    derived = gradient_through(MSE, a, "sigmoid")
    wrong = Step(eq(derived.result.lhs, derive.sigmoid(sp.Symbol("z", real=True)) - y), "a - y, wrongly")
    tampered = dataclasses.replace(derived, conclusions=(wrong,))
    assert not tampered.check(points=40).passed


def test_label_vectors_are_drawn_off_the_simplex() -> None:
    """So a_i * sum(y) - y_i is not mistaken for a_i - y_i."""
    derived = gradient_through(CE, av, "softmax")
    assert not agree(derived.result.rhs, derive.softmax(zv, i, K) - yv[i], derived)


def test_focal_loss() -> None:
    focal = derive.get("focal_sigmoid_grad")
    assert focal.check().passed
    gamma = next(s for s in focal.domain.kinds if str(s) == "gamma")
    assert focal.domain.kinds[gamma] is POSITIVE
    at_zero = focal.results[1]
    assert at_zero.rhs == derive.get("bce_sigmoid_grad").result.rhs
    # the summary says how it was made, in words (issue 11: no internal function names in prose)
    assert "chain rule through the sigmoid" in focal.summary and "gradient_through" not in focal.summary


def test_sparse_labels_and_parameters() -> None:
    sparse = gradient_through(-sp.log(av[c]), av, "softmax", name="sparse")
    assert sparse.check(points=40).passed
    assert str(sparse.result.rhs) == "-KroneckerDelta(c, i) + softmax(z, i, K)"
    q = sp.Symbol("q", positive=True)
    weighted = gradient_through(q * (a - y) ** 2, a, "identity", kinds={q: POSITIVE})
    assert weighted.check(points=40).passed


def test_identity_infers_a_positive_prediction_for_logs() -> None:
    poisson = gradient_through(a - y * sp.log(a), a, "identity")
    assert poisson.domain.kinds[a] is POSITIVE
    assert poisson.check(points=40).passed


z_ = sp.Symbol("z", real=True)
q_ = sp.Symbol("q")


@pytest.mark.parametrize(
    ("loss", "prediction", "activation", "message"),
    [
        (y**2, a, "sigmoid", "does not contain the prediction a"),
        (MSE, a, "relu", "unknown activation 'relu'"),
        (-sp.log(av[c]), av, "sigmoid", "must be a Symbol"),
        (MSE, a, "softmax", "must be an IndexedBase"),
        (q_ * MSE, a, "sigmoid", "unknown symbol q"),
        (sp.floor(a - y), a, "identity", "not differentiable"),
        (sp.Piecewise((a, a > y)), a, "identity", "needs a default piece"),
        (-sp.Sum(yv[k] * sp.log(av[k]), (k, 0, K)), av, "softmax", "sums must run over the classes"),
        (sp.log(-(a**2) - 1), a, "identity", "not real and finite"),
        (MSE + z_, a, "identity", "reserved for the logits"),
        (sp.Derivative(a**2, a), a, "identity", "not an expression to differentiate"),
        (sp.Eq(a, y), a, "identity", "must be a SymPy expression"),
    ],
)
def test_clear_errors(loss, prediction, activation, message) -> None:
    with pytest.raises(ThroughError, match=message):
        gradient_through(loss, prediction, activation)
    assert issubclass(ThroughError, DerivationError)


# ---- the command line -------------------------------------------------------

PAYLOADS = [
    "__import__('os').system('touch MARKER')",
    "open('MARKER', 'w').write('x')",
    "[__import__('os').system('touch MARKER') for _ in 'x']",
    "(lambda: __import__('os').system('touch MARKER'))()",
    "eval(\"__import__('os').system('touch MARKER')\")",
    'exec(\'open("MARKER", "w")\')',
    "a.__class__",
    "().__class__.__bases__",
    "a.__class__.__mro__[-1].__subclasses__()",
    "sigmoid.__globals__['os'].system('touch MARKER')",
    "log(a).func.__module__",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cli_refuses_code(payload, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    status = main(["through", payload, "--activation", "sigmoid"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("derive: error: ")
    assert "refused" in err
    assert not (tmp_path / "MARKER").exists()


def test_cli_refuses_code_in_a_real_process(tmp_path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(derive.__file__).parent.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "derive", "through", PAYLOADS[0], "--activation", "identity"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "derive: error: attribute access '.system' is refused\n"
    assert not (tmp_path / "MARKER").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["y**2", "--activation", "sigmoid"], "does not contain the prediction a"),
        (["Piecewise((a, a > y))", "--activation", "identity"], "needs a default piece"),
        (["Piecewise((a, a + y), (1, True))", "--activation", "identity"], "must be a comparison"),
        (["Piecewise((a, True), (1, a > y))", "--activation", "identity"], "is not last"),
        (["Piecewise(a, True)", "--activation", "identity"], "not a pair"),
        (["max(a)", "--activation", "softmax"], "max() of the vector a is refused"),
        (["max(a - y)", "--activation", "identity"], "takes 2 to 20 arguments"),
        (["a < y", "--activation", "identity"], "comparison is refused outside a condition"),
        (["a if a else y", "--activation", "identity"], "must be a comparison"),
        (["Piecewise((a[k], y[k]), (0, True))", "--activation", "softmax"], "not an entry of a vector"),
        (["Piecewise((a, -y), (0, True))", "--activation", "identity"], "not arithmetic"),
        (["tempered_softmax(a, 1, 2, 3)", "--activation", "softmax"], "'tempered_softmax' is refused"),
        (["Piecewise((a, a is y), (1, True))", "--activation", "identity"], "the comparison Is is refused"),
        (["a[k]", "--activation", "sigmoid"], "need --activation softmax"),
        (["(a - y)**2", "--activation", "tanh"], "invalid choice"),
        (["(a - y)**2", "--activation", "identity", "--name", "Bad Name"], "--name takes"),
        (["(p - y)**2", "--activation", "identity"], "the name 'p' is refused"),
    ],
)
def test_cli_errors_are_one_line(argv, message, capsys) -> None:
    assert main(["through", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_cli_runs_math(capsys) -> None:
    status = main(["through", "-sum(y[k]*log(a[k]), k)", "--activation", "softmax", "--points", "30"])
    out = capsys.readouterr().out
    assert status == 0
    assert "softmax_jacobian" in out
    assert "check: passed" in out
    status = main(["through", "(p - y)**2/2", "--prediction", "p", "--activation", "sigmoid", "--latex"])
    out = capsys.readouterr().out
    assert status == 0 and "\\frac" in out and "check: passed" in out
