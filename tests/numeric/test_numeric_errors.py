"""derive.numeric: every bad input is a ValueError that names the argument; gradients match finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from derive import numeric

Z = np.zeros((3, 4))
PAIRED = [
    numeric.bce_with_logits,
    numeric.bce_with_logits_grad,
    numeric.mse,
    numeric.mse_sigmoid_grad,
    numeric.softmax_cross_entropy,
    numeric.softmax_cross_entropy_grad,
    numeric.softmax_mse,
    numeric.softmax_mse_grad,
]
SPARSE = [numeric.sparse_softmax_cross_entropy, numeric.sparse_softmax_cross_entropy_grad]


@pytest.mark.parametrize("function", PAIRED)
def test_mismatched_shapes_name_the_argument(function) -> None:
    with pytest.raises(ValueError, match=r"has shape \(3, 5\).*shape \(3, 4\)"):
        function(Z, np.zeros((3, 5)))


@pytest.mark.parametrize("function", PAIRED + SPARSE)
def test_unknown_reduction(function) -> None:
    second = np.zeros(3, int) if function in SPARSE else Z
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum', 'none', got 'avg'"):
        function(Z, second, reduction="avg")


@pytest.mark.parametrize("function", SPARSE)
@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.array([0, 4, 1]), r"labels must be class indices in 0\.\.3 \(K = 4\), got 4"),
        (np.array([0, -1, 1]), r"class indices in 0\.\.3 \(K = 4\), got -1"),
        (np.array([0.0, 1.5, 1.0]), "labels must be integers, got 1.5"),
        (np.array(["a", "b", "c"]), "labels must be integers"),
        (np.array([0, 1]), r"labels has shape \(2,\), but the logits z need labels of shape \(3,\)"),
    ],
)
def test_bad_labels(function, labels: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        function(Z, labels)


def test_whole_float_labels_are_accepted() -> None:
    assert numeric.sparse_softmax_cross_entropy(Z, np.array([0.0, 3.0, 1.0])) == pytest.approx(np.log(4))


@pytest.mark.parametrize("function", [numeric.sigmoid, numeric.softmax, numeric.log_softmax])
def test_text_is_not_a_number(function) -> None:
    with pytest.raises(ValueError, match="z must be an array of real numbers, got text"):
        function(["a"])


def test_axis_and_class_errors() -> None:
    with pytest.raises(ValueError, match="axis 2 is out of range for z"):
        numeric.softmax(Z, axis=2)
    with pytest.raises(ValueError, match="z must have classes on its last axis"):
        numeric.softmax_cross_entropy(np.float64(1.0), np.float64(1.0))
    with pytest.raises(ValueError, match=r"q has shape \(3,\), but p has shape \(2,\)"):
        numeric.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match=r"p must hold finite probabilities >= 0, got -0\.5"):
        numeric.entropy([-0.5, 1.5])
    with pytest.raises(ValueError, match="mean of an empty batch"):
        numeric.bce_with_logits(np.zeros(0), np.zeros(0))


# ---- gradients against finite differences of the NumPy losses -------------------

LOSSES = [
    (numeric.bce_with_logits, numeric.bce_with_logits_grad, "soft"),
    (lambda z, y, reduction="mean": numeric.mse(numeric.sigmoid(z), y, reduction), numeric.mse_sigmoid_grad, "soft"),
    (numeric.softmax_cross_entropy, numeric.softmax_cross_entropy_grad, "soft"),
    (numeric.softmax_mse, numeric.softmax_mse_grad, "soft"),
    (numeric.sparse_softmax_cross_entropy, numeric.sparse_softmax_cross_entropy_grad, "sparse"),
]


@pytest.mark.parametrize(("loss", "grad", "labels"), LOSSES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_gradient_matches_central_differences(loss, grad, labels: str, reduction: str) -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(0, 2, (5, 4))
    y = rng.integers(0, 4, 5) if labels == "sparse" else rng.random((5, 4))
    analytic = grad(z, y, reduction)
    numeric_grad = np.zeros_like(z)
    step = 1e-6
    for position in np.ndindex(*z.shape):
        up, down = z.copy(), z.copy()
        up[position] += step
        down[position] -= step
        numeric_grad[position] = (loss(up, y, reduction) - loss(down, y, reduction)) / (2 * step)
    np.testing.assert_allclose(analytic, numeric_grad, rtol=1e-6, atol=1e-9)


# ---- properties ---------------------------------------------------------------------

logits = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 6)), elements=st.floats(-1000, 1000))


@settings(max_examples=60, deadline=None)
@given(logits, st.floats(-500, 500))
def test_softmax_is_a_distribution_and_shift_invariant(z: np.ndarray, shift: float) -> None:
    probabilities = numeric.softmax(z)
    assert np.isfinite(probabilities).all() and (probabilities >= 0).all()
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1, rtol=1e-12)
    np.testing.assert_allclose(numeric.softmax(z + shift), probabilities, rtol=1e-9, atol=1e-300)


@settings(max_examples=60, deadline=None)
@given(logits, st.data())
def test_sparse_equals_one_hot_and_everything_is_finite(z: np.ndarray, data: st.DataObject) -> None:
    labels = np.array(data.draw(st.lists(st.integers(0, z.shape[1] - 1), min_size=len(z), max_size=len(z))))
    one_hot = np.eye(z.shape[1])[labels]
    sparse = numeric.sparse_softmax_cross_entropy(z, labels, "none")
    assert np.isfinite(sparse).all() and (sparse >= 0).all()
    np.testing.assert_allclose(sparse, numeric.softmax_cross_entropy(z, one_hot, "none"), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(
        numeric.sparse_softmax_cross_entropy_grad(z, labels),
        numeric.softmax_cross_entropy_grad(z, one_hot),
        rtol=1e-12,
        atol=1e-300,
    )
    assert np.isfinite(numeric.softmax_mse_grad(z, one_hot)).all()
    assert (
        np.isfinite(numeric.bce_with_logits(z, one_hot)) and np.isfinite(numeric.bce_with_logits_grad(z, one_hot)).all()
    )


# ---- scalars, labels out of range, float16 ------------------------------------------

ELEMENTWISE = [numeric.bce_with_logits, numeric.bce_with_logits_grad, numeric.mse, numeric.mse_sigmoid_grad]


@pytest.mark.parametrize("function", ELEMENTWISE)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_scalars_give_scalars(function, reduction: str, dtype: type) -> None:
    """A Python float or a 0-d array gives a NumPy scalar of its dtype, equal to the 1-element result."""
    first = 0.3 if function is numeric.mse else 3.0
    expected = function(np.array([first], dtype), np.array([1.0], dtype), reduction)
    for scalar in (dtype(first), np.array(first, dtype)):
        ours = function(scalar, 1.0, reduction)
        assert isinstance(ours, np.generic) and ours.dtype == dtype, (ours, type(ours))
        assert ours == np.asarray(expected).reshape(-1)[0]
    assert function(first, 1.0, reduction).dtype == np.float64


def test_scalar_values() -> None:
    assert numeric.mse(0.3, 1.0) == pytest.approx(0.49, rel=1e-15)
    assert numeric.bce_with_logits(3.0, 1.0) == pytest.approx(np.log1p(np.exp(-3.0)), rel=1e-15)
    assert numeric.bce_with_logits_grad(3.0, 1.0) == pytest.approx(-1 / (1 + np.exp(3.0)), rel=1e-15)
    sigma = 1 / (1 + np.exp(-3.0))
    assert numeric.mse_sigmoid_grad(3.0, 1.0) == pytest.approx(2 * (sigma - 1) * sigma * (1 - sigma), rel=1e-14)


UNIT = [numeric.bce_with_logits, numeric.bce_with_logits_grad, numeric.mse_sigmoid_grad]
ROWS = [
    numeric.softmax_cross_entropy,
    numeric.softmax_cross_entropy_grad,
    numeric.softmax_mse,
    numeric.softmax_mse_grad,
]


@pytest.mark.parametrize("function", UNIT)
@pytest.mark.parametrize("bad", [2.0, -0.5, np.nan, np.inf])
def test_binary_labels_outside_zero_one(function, bad: float) -> None:
    y = np.array([0.0, 1.0, 0.5])
    y[1] = bad
    with pytest.raises(ValueError, match=rf"^y must hold labels in \[0, 1\] .*got {bad!r} at index \(1,\)$"):
        function(np.zeros(3), y)


@pytest.mark.parametrize("function", ROWS)
@pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf])
def test_label_rows_negative_or_not_finite(function, bad: float) -> None:
    y = np.ones((2, 3))
    y[1, 2] = bad
    with pytest.raises(ValueError, match=rf"^y must hold finite labels >= 0 .*got {bad!r} at index \(1, 2\)$"):
        function(np.zeros((2, 3)), y)


def test_soft_label_rows_need_not_sum_to_one() -> None:
    """cce_softmax_grad holds for any y >= 0: a row summing to 2 is twice the loss of its half."""
    z, y = np.array([[1.0, 2.0, 3.0]]), np.array([[0.5, 1.0, 0.5]])
    assert numeric.softmax_cross_entropy(z, y) == pytest.approx(2 * numeric.softmax_cross_entropy(z, y / 2))


def test_regression_targets_must_be_finite() -> None:
    assert numeric.mse([0.0], [-3.0]) == 9.0  # any real target
    with pytest.raises(ValueError, match="y must hold finite real numbers, got nan"):
        numeric.mse([0.0, 1.0], [0.0, np.nan])


@pytest.mark.parametrize("bad", [-0.1, np.nan, np.inf])
def test_probabilities_negative_or_not_finite(bad: float) -> None:
    for function in (numeric.entropy, numeric.cross_entropy, numeric.kl_divergence):
        args = ([0.5, bad],) if function is numeric.entropy else ([0.5, bad], [0.5, 0.5])
        with pytest.raises(ValueError, match=r"^p must hold finite probabilities >= 0, got"):
            function(*args)
    with pytest.raises(ValueError, match=r"^q must hold finite probabilities >= 0, got"):
        numeric.kl_divergence([0.5, 0.5], [0.5, bad])


Y_ROWS = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
Z_ROWS = np.array([[1.0, -2.0, 0.5], [8.0, 8.0, -8.0], [-3.0, 0.0, 12.0]])
FLOAT16_CASES = [
    (numeric.sigmoid, (Z_ROWS,)),
    (numeric.softmax, (Z_ROWS,)),
    (numeric.log_softmax, (Z_ROWS,)),
    *[(function, (Z_ROWS, Y_ROWS)) for function in PAIRED],
    *[(function, (Z_ROWS, np.array([1, 0, 2]))) for function in SPARSE],
    (numeric.entropy, (Y_ROWS,)),
    (numeric.cross_entropy, (Y_ROWS, Y_ROWS[::-1] * 0.9 + 0.1 / 3)),
    (numeric.kl_divergence, (Y_ROWS, Y_ROWS[::-1] * 0.9 + 0.1 / 3)),
]


@pytest.mark.parametrize(("function", "args"), FLOAT16_CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_float16_in_float16_out(function, args: tuple[np.ndarray, ...]) -> None:
    """float16 is computed in float32 and rounded once: within an ulp or two of the float64 result."""
    first = args[0].astype(np.float16)
    ours = function(first, *args[1:])
    assert ours.dtype == np.float16
    exact = function(first.astype(np.float64), *args[1:])
    np.testing.assert_allclose(ours.astype(np.float64), exact, rtol=2 * 2.0**-11, atol=2.0**-24)


def test_float16_logits_beyond_its_exp_range() -> None:
    """e^12 overflows float16 (max 65504); computing in float32 keeps the loss finite and right."""
    z = np.array([[12.0, -12.0]], np.float16)
    assert numeric.softmax_cross_entropy(z, np.array([[0.0, 1.0]])) == np.float16(24.0)
    assert numeric.bce_with_logits(z, np.array([[0.0, 1.0]]), "sum") == np.float16(24.0)


# ---- every public function shows how it is called ----------------------------------------


def test_every_public_function_has_a_doctest() -> None:
    import inspect

    from derive import codegen as export
    from derive.numeric import _checks, activations, information, losses, softmax_losses, softmax_mse

    modules = [numeric, _checks, activations, information, losses, softmax_losses, softmax_mse, export]
    missing = []
    for module in modules:
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value) or value.__module__ != module.__name__:
                continue
            if ">>>" not in (value.__doc__ or ""):
                missing.append(f"{module.__name__}.{name}")
    assert not missing, missing
