"""Every exported function of the catalogue runs in NumPy, JAX and PyTorch and the three agree.

The inputs are points of each derivation's own domain (its hard points first:
logits of +-30, probabilities within 1e-6 of 0 and 1, K = 2 and K = 40), the
same values for every backend.  In float64 the backends agree to 1e-10
relative; float32 inputs give float32 outputs.  JAX and PyTorch come with the
``frameworks`` extra; outside CI a missing framework skips its tests with the
reason, in CI (``CI=true``) it fails them.
"""

from __future__ import annotations

import importlib
import os
import re
from typing import Any

import numpy as np
import pytest

from derive import registry
from derive.codegen import source
from derive.errors import ExportError

IN_CI = os.environ.get("CI", "").lower() == "true"
POINTS_PER_FUNCTION = 12
RELATIVE = 1e-10


def _framework(name: str) -> Any:
    """The framework module; skipped with a reason where missing (outside CI), an error in CI."""
    try:
        return importlib.import_module(name)
    except Exception as exc:  # a broken install fails to import in many ways
        if IN_CI:
            raise AssertionError(f"{name} is missing in CI: .ci/run installs the frameworks extra ({exc})") from exc
        pytest.skip(f"{name} is not installed: pip install -e '.[frameworks]' ({type(exc).__name__})")


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


def _as_numpy(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


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
    framework = _framework(backend)
    if backend == "jax":
        framework.config.update("jax_enable_x64", True)
    reference = _compile(name, "numpy")
    other = _compile(name, backend)
    array = (lambda v: framework.numpy.asarray(v)) if backend == "jax" else (lambda v: framework.tensor(v))
    compared = 0
    for values in _arguments(name):
        expected = np.asarray(reference(**values), dtype=np.float64)
        got = _as_numpy(other(**{k: array(v) for k, v in values.items()}))
        assert got.dtype == np.float64, (name, backend, got.dtype)
        assert got.shape == expected.shape, (name, backend, got.shape, expected.shape)
        assert np.isfinite(expected).all(), (name, values)
        scale = np.maximum(np.abs(expected), np.abs(got))
        assert (np.abs(got - expected) <= RELATIVE * scale + 1e-300).all(), (name, backend, values, got, expected)
        compared += 1
    assert compared == POINTS_PER_FUNCTION


@pytest.mark.parametrize("backend", ["numpy", "jax", "torch"])
@pytest.mark.parametrize("name", EXPORTED)
def test_float32_stays_float32(name: str, backend: str) -> None:
    if backend == "numpy":
        array: Any = lambda v: v.astype(np.float32)
    elif backend == "jax":
        framework = _framework("jax")
        array = lambda v: framework.numpy.asarray(v, dtype=framework.numpy.float32)
    else:
        framework = _framework("torch")
        array = lambda v: framework.tensor(v, dtype=framework.float32)
    function = _compile(name, backend)
    values = _arguments(name)[-1]
    got = _as_numpy(function(**{k: array(v) for k, v in values.items()}))
    assert got.dtype == np.float32, (name, backend, got.dtype)
