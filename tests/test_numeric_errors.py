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
    with pytest.raises(ValueError, match="p must hold probabilities"):
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
