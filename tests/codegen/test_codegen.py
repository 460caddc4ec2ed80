"""Code export: NumPy agrees with the SymPy result; JAX and PyTorch sources parse and use only their library."""

from __future__ import annotations

import ast

import mpmath
import numpy as np
import pytest
import sympy as sp

import derive
from derive.cli.main import main
from derive.codegen import source
from derive.errors import ExportError
from derive.verify.evaluate import compile_expr

EXPORTED = [
    "bce_sigmoid_grad",
    "mse_sigmoid_grad",
    "cce_softmax_grad",
    "mse_softmax_grad",
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "sigmoid_derivative",
]


def reference(expr: sp.Expr, values: dict[str, np.ndarray], index: int | None) -> float:
    env: dict[object, object] = {}
    for base in expr.atoms(sp.IndexedBase):
        env[base] = [None, *(mpmath.mpf(float(v)) for v in values[base.name])]
    bound = {limit[0] for loop in expr.atoms(sp.Sum) for limit in loop.limits}
    labels = {base.label for base in expr.atoms(sp.IndexedBase)}
    for s in {s for s in expr.free_symbols if isinstance(s, sp.Symbol)} - bound - labels:
        if s.name == "K":
            env[s] = len(next(iter(values.values())))
        elif s.name in values:
            env[s] = mpmath.mpf(float(values[s.name]))
        else:
            env[s] = index + 1
    with mpmath.workdps(50):
        return float(compile_expr(expr)(env))


def inputs(name: str, vector: bool, rng: np.random.Generator) -> dict[str, np.ndarray]:
    shape = (4, 5) if vector else (7,)
    if name in ("entropy", "cross_entropy", "kl_divergence"):
        p, q = rng.random((2, *shape)) + 0.01
        return {"p": p / p.sum(-1, keepdims=True), "q": q / q.sum(-1, keepdims=True)}
    z = rng.normal(0, 3, shape)
    z.flat[0], z.flat[1] = 40.0, -1000.0  # large logits: the exported softmax/sigmoid must not overflow
    return {"z": z, "y": rng.random(shape)}


@pytest.mark.parametrize("name", EXPORTED)
def test_numpy_export_matches_the_sympy_result(name: str) -> None:
    derivation = derive.get(name)
    function = derivation.to_function()
    expr = derivation.result.rhs
    vector = bool(expr.atoms(sp.IndexedBase))
    values = inputs(name, vector, np.random.default_rng(0))
    used = {a.name for a in expr.atoms(sp.IndexedBase)} | {
        s.name for s in expr.free_symbols if isinstance(s, sp.Symbol)
    }
    values = {k: v for k, v in values.items() if k in used}
    ours = function(**values)
    assert np.isfinite(ours).all()
    indexed = ours.ndim == len(next(iter(values.values())).shape) and vector
    for position in np.ndindex(*ours.shape):
        row = position[:-1] if indexed else position
        here = {k: v[row] for k, v in values.items()}
        ref = reference(expr, here, position[-1] if indexed else None)
        assert abs(ours[position] - ref) <= 1e-12 * abs(ref) + 1e-13, (name, position, ours[position], ref)
    assert np.array_equal(function(*[values[k] for k in sorted(values)]), ours), "arguments in sorted-name order"


@pytest.mark.parametrize("backend", ["jax", "torch"])
@pytest.mark.parametrize("name", EXPORTED)
def test_other_backends_parse_and_use_only_their_library(name: str, backend: str) -> None:
    tree = ast.parse(source(derive.get(name), backend))
    library = "jax" if backend == "jax" else "torch"
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            while isinstance(node, ast.Attribute):
                node = node.value
            if isinstance(node, ast.Name):
                roots.add(node.id)
        if isinstance(node, ast.Import):
            assert all(alias.name.split(".")[0] == library for alias in node.names)
        assert not isinstance(node, ast.ImportFrom)
    assert roots <= {library}, roots
    assert "numpy." not in source(derive.get(name), backend).replace("jax.numpy.", "")


def test_export_command_prints_a_function(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "cce_softmax_grad", "--backend", "torch"]) == 0
    assert "def cce_softmax_grad(y, z):" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["export", "no_such_name"], ["export", "cce_softmax_grad", "--backend", "tf"], ["export", "softmax_jacobian"]],
)
def test_export_command_rejects_bad_input_in_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.startswith("derive: error:") and error.count("\n") == 1


def test_an_inequality_is_not_exported(capsys: pytest.CaptureFixture[str]) -> None:
    """mse_prefers_uniform states L >= bound: no formula to compute, so a one-line error, exit 2."""
    assert isinstance(derive.get("mse_prefers_uniform").result, sp.core.relational.Relational)
    with pytest.raises(ExportError, match="the result is an inequality"):
        source(derive.get("mse_prefers_uniform"))
    assert main(["export", "mse_prefers_uniform"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "mse_prefers_uniform: the result is an inequality" in error


@pytest.mark.parametrize(
    ("name", "helpers"),
    [
        ("entropy", set()),
        ("kl_divergence", set()),
        ("sigmoid_derivative", {"_sigmoid"}),
        ("bce_sigmoid_grad", {"_sigmoid"}),
        ("cce_softmax_grad", {"_softmax"}),
    ],
)
@pytest.mark.parametrize("backend", ["numpy", "jax"])
def test_only_the_helpers_the_expression_calls_are_emitted(name: str, helpers: set[str], backend: str) -> None:
    tree = ast.parse(source(derive.get(name), backend))
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)} - {name}
    assert defined == helpers
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert defined <= called


def test_unknown_backend_is_an_export_error() -> None:
    with pytest.raises(ExportError, match="unknown backend"):
        source(derive.get("entropy"), "tensorflow")


# Run in a child process: a test process that imported JAX must not fork afterwards (the site build forks).
TEMPERED_RUNNER = """
import json, sys
import numpy as np
backend, code, points = sys.argv[1], sys.stdin.read(), json.loads(sys.argv[2])
if backend == "jax":
    import jax
    jax.config.update("jax_enable_x64", True)
    array = lambda v: jax.numpy.asarray(v, dtype=jax.numpy.float64)
elif backend == "torch":
    import torch
    array = lambda v: torch.tensor(v, dtype=torch.float64)
else:
    array = lambda v: np.asarray(v, dtype=np.float64)
namespace = {}
exec(compile(code, "<export>", "exec"), namespace)
out = []
for beta, labels, logits in points:
    value = namespace["loss_through_softmax"](beta, array(labels), array(logits))
    value = value.detach().numpy() if hasattr(value, "detach") else value
    out.append(np.asarray(value, dtype=np.float64).tolist())
print(json.dumps(out))
"""


@pytest.mark.parametrize("backend", ["numpy", "jax", "torch"])
def test_the_softmax_with_temperature_exports_stably(backend: str) -> None:
    """The distillation KL gradient, beta (softmax(z/beta)_i - y_i), runs in every backend, also at logits of +-1000."""
    import json
    import subprocess
    import sys

    from derive.model.symbols import K, i, yv, zv
    from derive.yours.safe_parse import parse_loss, prediction_symbol
    from derive.yours.through import gradient_through

    text = "beta**2*sum(y[k]*(log(y[k]) - log(a[k]**(1/beta)/sum(a[j]**(1/beta), j))), k)"
    d = gradient_through(parse_loss(text, "a", "softmax"), prediction_symbol("a", "softmax"), "softmax")
    code = source(d, backend)
    assert "_softmax(z/beta)" in code or "torch.softmax(z/beta" in code
    if backend != "numpy":
        pytest.importorskip(backend)
    points = [(2.5, [0.2, 0.5, 0.3], [0.3, -1.2, 2.0]), (0.5, [0.0, 1.0, 0.0], [1000.0, -1000.0, 3.0])]
    run = [sys.executable, "-c", TEMPERED_RUNNER, backend, json.dumps(points)]
    done = subprocess.run(run, input=code, capture_output=True, text=True, timeout=300, check=True)
    beta_symbol = sp.Symbol("beta", positive=True)
    for (beta, labels, logits), got in zip(points, json.loads(done.stdout), strict=True):
        assert np.all(np.isfinite(got))
        for n in range(3):
            env = {K: 3, i: n + 1, beta_symbol: beta, yv: [None, *labels], zv: [None, *logits]}
            want = float(compile_expr(d.result.rhs)(env))
            assert got[n] == pytest.approx(want, rel=1e-12, abs=1e-300)
