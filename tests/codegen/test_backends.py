"""Every exported function of the catalogue runs in NumPy, JAX and PyTorch and the three agree.

The inputs are points of each derivation's own domain (its hard points first:
logits of +-30, probabilities within 1e-6 of 0 and 1, K = 2 and K = 40), the
same values for every backend.  In float64 the backends agree to 1e-10
relative; float32 inputs give float32 outputs.  JAX and PyTorch come with the
``frameworks`` extra and run in a child process each (JAX starts threads, and
this process forks later); outside CI a missing framework skips its tests with
the reason, in CI (``CI=true``) it fails them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from derive import registry
from derive.codegen import source
from derive.errors import ExportError

IN_CI = os.environ.get("CI", "").lower() == "true"
POINTS_PER_FUNCTION = 12
RELATIVE = 1e-10


# The frameworks run in a child process, one per framework: JAX starts threads, and a test process that
# imported it must not fork afterwards (the site build's worker pool forks).
RUNNER = """
import json, sys
import numpy as np
backend = sys.argv[1]
try:
    if backend == "jax":
        import jax
        jax.config.update("jax_enable_x64", True)
        f64 = lambda v: jax.numpy.asarray(v, dtype=jax.numpy.float64)
        f32 = lambda v: jax.numpy.asarray(v, dtype=jax.numpy.float32)
    else:
        import torch
        f64 = lambda v: torch.tensor(v, dtype=torch.float64)
        f32 = lambda v: torch.tensor(v, dtype=torch.float32)
except Exception as exc:
    print(json.dumps({"missing": f"{type(exc).__name__}: {exc}"}))
    raise SystemExit(0)
def plain(value):
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    value = np.asarray(value)
    return {"dtype": str(value.dtype), "value": value.astype(np.float64).tolist()}
out = {}
for name, job in json.load(sys.stdin).items():
    namespace = {}
    exec(compile(job["source"], name, "exec"), namespace)
    function = namespace[name]
    out[name] = {
        "float64": [plain(function(**{k: f64(v) for k, v in point.items()})) for point in job["points"]],
        "float32": plain(function(**{k: f32(v) for k, v in job["points"][-1].items()})),
    }
print(json.dumps(out))
"""
_RESULTS: dict[str, dict[str, Any]] = {}


def _framework_results(backend: str) -> dict[str, Any]:
    """Every exported function run by ``backend`` in a child process; skipped or failed where it is missing."""
    if backend not in _RESULTS:
        jobs = {
            name: {
                "source": source(registry.get(name), backend),
                "points": [{k: v.tolist() for k, v in point.items()} for point in _arguments(name)],
            }
            for name in EXPORTED
        }
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, backend],
            input=json.dumps(jobs),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        _RESULTS[backend] = json.loads(done.stdout.strip().splitlines()[-1])
    results = _RESULTS[backend]
    if "missing" in results:
        if IN_CI:
            raise AssertionError(
                f"{backend} is missing in CI: .ci/run installs the frameworks extra ({results['missing']})"
            )
        pytest.skip(f"{backend} is not installed: pip install -e '.[frameworks]' ({results['missing']})")
    return results


def _exported() -> list[str]:
    names = []
    for name, entry in sorted(registry.all_entries().items()):
        try:
            source(entry.derivation, "numpy")
        except ExportError:
            continue
        names.append(name)
    return names


EXPORTED = _exported()


def _compile(name: str, backend: str) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(source(registry.get(name), backend), f"<export {name} {backend}>", "exec"), namespace)
    return namespace[name]


def _arguments(name: str) -> list[dict[str, np.ndarray]]:
    """Points of the derivation's domain as float64 arrays, one batch row each, keyed by argument name."""
    derivation = registry.get(name)
    (signature,) = [line for line in source(derivation).splitlines() if line.startswith(f"def {name}(")]
    names = [n.strip() for n in signature.split("(")[1].split(")")[0].split(",")]
    out = []
    for point in derivation.domain.points(POINTS_PER_FUNCTION * 2, seed=5)[:POINTS_PER_FUNCTION]:
        values = {}
        for symbol, value in point.items():
            key = str(symbol)
            if key not in names:
                continue
            if isinstance(value, list):
                values[key] = np.array([[float(v) for v in value[1:]]])
            else:
                values[key] = np.array([float(value)])
        assert sorted(values) == sorted(names), (name, names, sorted(values))
        out.append(values)
    return out


def test_the_catalogue_exports_functions() -> None:
    assert len(EXPORTED) >= 15, EXPORTED
    assert "gaussian_nll_mse" in EXPORTED


# A backend function applied to numbers only: torch.log(2*3.14159...) raises TypeError in PyTorch.
CALL_ON_A_NUMBER = re.compile(r"\b(?:torch|numpy|jax\.numpy)\.\w+\(\s*[-+0-9.eE*/ ()]*\)")


@pytest.mark.parametrize("name", EXPORTED)
def test_constants_print_as_constants(name: str) -> None:
    for backend in ("numpy", "jax", "torch"):
        text = source(registry.get(name), backend)
        assert not CALL_ON_A_NUMBER.search(text), (name, backend, CALL_ON_A_NUMBER.search(text))


def test_a_constant_becomes_a_float() -> None:
    text = source(registry.get("gaussian_nll_mse"), "torch")
    assert "torch.log(2*" not in text and "0.9189385332046727" in text


@pytest.mark.parametrize("backend", ["jax", "torch"])
@pytest.mark.parametrize("name", EXPORTED)
def test_backends_agree_in_float64(name: str, backend: str) -> None:
    runs = _framework_results(backend)[name]["float64"]
    reference = _compile(name, "numpy")
    points = _arguments(name)
    assert len(runs) == len(points) == POINTS_PER_FUNCTION
    for values, run in zip(points, runs, strict=True):
        expected = np.asarray(reference(**values), dtype=np.float64)
        got = np.asarray(run["value"], dtype=np.float64)
        assert run["dtype"] == "float64", (name, backend, run["dtype"])
        assert got.shape == expected.shape, (name, backend, got.shape, expected.shape)
        assert np.isfinite(expected).all(), (name, values)
        scale = np.maximum(np.abs(expected), np.abs(got))
        assert (np.abs(got - expected) <= RELATIVE * scale + 1e-300).all(), (name, backend, values, got, expected)


@pytest.mark.parametrize("backend", ["numpy", "jax", "torch"])
@pytest.mark.parametrize("name", EXPORTED)
def test_float32_stays_float32(name: str, backend: str) -> None:
    if backend == "numpy":
        values = _arguments(name)[-1]
        got = np.asarray(_compile(name, "numpy")(**{k: v.astype(np.float32) for k, v in values.items()}))
        assert got.dtype == np.float32, (name, backend, got.dtype)
    else:
        assert _framework_results(backend)[name]["float32"]["dtype"] == "float32", (name, backend)
