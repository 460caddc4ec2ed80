"""derive.numeric at the edges: masked (-inf) classes, infinite and +-1e308 logits, tied rows, bad axes, masks.

Every value is compared with the same formula in 50-digit mpmath, written
plainly (the limits at infinite logits taken by hand: a masked class has
probability 0 and contributes nothing to a loss it is labelled 0 in).
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from derive import numeric

mp.mp.dps = 50
INF = math.inf


def _reference_probabilities(row: list[float]) -> list[mp.mpf]:
    if any(v == INF for v in row):  # the limit: the +inf classes share the probability
        count = sum(v == INF for v in row)
        return [mp.mpf(1) / count if v == INF else mp.mpf(0) for v in row]
    kept = [mp.mpf(v) for v in row if v != -INF]
    top = max(kept)
    total = mp.fsum(mp.exp(v - top) for v in kept)
    return [mp.mpf(0) if v == -INF else mp.exp(mp.mpf(v) - top) / total for v in row]


def _reference_log_probabilities(row: list[float]) -> list[mp.mpf]:
    if any(v == INF for v in row):
        count = sum(v == INF for v in row)
        return [-mp.log(count) if v == INF else mp.mpf("-inf") for v in row]
    kept = [mp.mpf(v) for v in row if v != -INF]
    top = max(kept)
    log_rest = mp.log(mp.fsum(mp.exp(v - top) for v in kept))  # v - top first: 50 digits cannot hold 1e308 + 1
    return [mp.mpf("-inf") if v == -INF else (mp.mpf(v) - top) - log_rest for v in row]


def _reference_cce(row: list[float], labels: list[float]) -> mp.mpf:
    logs = _reference_log_probabilities(row)
    return -mp.fsum(mp.mpf(y) * log for y, log in zip(labels, logs, strict=True) if y != 0)


def _reference_bce(z: float, y: float) -> mp.mpf:
    if math.isinf(z):  # softplus(z) - y z in the limit
        side = 1.0 if z > 0 else 0.0
        return mp.mpf(0) if y == side else mp.mpf("inf")
    z_ = mp.mpf(z)
    return mp.log1p(mp.exp(-abs(z_))) + max(z_, 0) - mp.mpf(y) * z_


def _close(value: float, reference: mp.mpf, rel: float = 1e-13) -> bool:
    if mp.isinf(reference) or abs(reference) > mp.mpf(np.finfo(float).max):  # beyond float: inf is right
        return value == (INF if reference > 0 else -INF)
    if abs(reference) < 1e-300:  # 0, or below what a float holds (e^-1e308): the float is 0 or nearly
        return abs(value) < 1e-300
    return abs(mp.mpf(value) - reference) <= rel * abs(reference)


ROWS = [
    ([0.0, -INF, 1.0], [1.0, 0.0, 0.0]),  # the example: a masked class
    ([-INF, 2.0, -INF, -1.0], [0.0, 0.5, 0.0, 0.5]),
    ([INF, 0.0, 3.0], [1.0, 0.0, 0.0]),  # +inf: the limit
    ([INF, 0.0, INF], [0.5, 0.0, 0.5]),
    ([1e308, -1e308, 0.0], [1.0, 0.0, 0.0]),  # +-1e308: finite where the answer is
    ([-1e308, -1e308, -1e308], [0.0, 1.0, 0.0]),
    ([1e308, 1e308, -INF], [0.25, 0.75, 0.0]),
]


@pytest.mark.parametrize(("row", "labels"), ROWS)
def test_softmax_family_at_infinite_and_huge_logits(row: list[float], labels: list[float]) -> None:
    z, y = np.array([row]), np.array([labels])
    probabilities = _reference_probabilities(row)
    got = numeric.softmax(z)[0]
    assert all(_close(g, r) for g, r in zip(got, probabilities, strict=True)), got
    logs = _reference_log_probabilities(row)
    got = numeric.log_softmax(z)[0]
    assert all(_close(g, r) for g, r in zip(got, logs, strict=True)), got

    loss = numeric.softmax_cross_entropy(z, y, "sum")
    assert np.isfinite(loss) and _close(float(loss), _reference_cce(row, labels)), loss
    total = sum(labels)
    grad = numeric.softmax_cross_entropy_grad(z, y, "sum")[0]
    expected = [p * total - mp.mpf(t) for p, t in zip(probabilities, labels, strict=True)]
    assert all(_close(g, r, 1e-12) or abs(g - float(r)) < 1e-15 for g, r in zip(grad, expected, strict=True)), grad

    squares = numeric.softmax_mse(z, y, "none")[0]
    expected = [(p - mp.mpf(t)) ** 2 for p, t in zip(probabilities, labels, strict=True)]
    assert all(_close(g, r, 1e-12) or abs(g - float(r)) < 1e-30 for g, r in zip(squares, expected, strict=True))
    assert np.isfinite(numeric.softmax_mse_grad(z, y)).all()


@pytest.mark.parametrize(("row", "label"), [([0.0, -INF, 1.0], 0), ([INF, 0.0, INF], 2), ([1e308, -1e308], 0)])
def test_sparse_cross_entropy_at_infinite_and_huge_logits(row: list[float], label: int) -> None:
    z = np.array([row])
    loss = numeric.sparse_softmax_cross_entropy(z, np.array([label]), "sum")
    expected = -_reference_log_probabilities(row)[label]
    assert _close(float(loss), expected), loss
    grad = numeric.sparse_softmax_cross_entropy_grad(z, np.array([label]), "sum")[0]
    onehot = [1.0 if k == label else 0.0 for k in range(len(row))]
    reference = [p - t for p, t in zip(_reference_probabilities(row), onehot, strict=True)]
    assert all(abs(g - float(r)) <= 1e-15 for g, r in zip(grad, reference, strict=True)), grad


def test_a_label_on_a_masked_class_costs_infinitely() -> None:
    assert numeric.sparse_softmax_cross_entropy(np.array([[0.0, -INF]]), np.array([1])) == INF
    assert numeric.softmax_cross_entropy(np.array([[0.0, -INF]]), np.array([[0.0, 1.0]])) == INF


ALL_SOFTMAX = [
    lambda z: numeric.softmax(z),
    lambda z: numeric.log_softmax(z),
    lambda z: numeric.softmax_cross_entropy(z, np.ones_like(z)),
    lambda z: numeric.softmax_cross_entropy_grad(z, np.ones_like(z)),
    lambda z: numeric.sparse_softmax_cross_entropy(z, np.zeros(len(z), int)),
    lambda z: numeric.sparse_softmax_cross_entropy_grad(z, np.zeros(len(z), int)),
    lambda z: numeric.softmax_mse(z, np.ones_like(z)),
    lambda z: numeric.softmax_mse_grad(z, np.ones_like(z)),
]


@pytest.mark.parametrize("function", ALL_SOFTMAX)
def test_a_row_with_every_class_masked_is_an_error_naming_the_row(function) -> None:
    z = np.array([[0.0, 1.0], [2.0, -INF], [-INF, -INF]])
    with pytest.raises(ValueError, match=r"every class masked \(-inf\) in row \(2,\)"):
        function(z)


@pytest.mark.parametrize(
    ("z", "y"),
    [(-INF, 0.0), (INF, 1.0), (1e308, 1.0), (-1e308, 0.0), (1e308, 0.5), (-1e308, 0.25), (INF, 0.0), (-INF, 1.0)],
)
def test_bce_at_infinite_and_huge_logits(z: float, y: float) -> None:
    expected = _reference_bce(z, y)
    for reduction in ("mean", "sum", "none"):
        got = numeric.bce_with_logits(np.array([z]), np.array([y]), reduction)
        assert _close(float(np.asarray(got).reshape(-1)[0]), expected), (reduction, got)
    grad = numeric.bce_with_logits_grad(np.array([z]), np.array([y]), "sum")[0]
    sigma = 1.0 if z > 0 else 0.0
    assert grad == sigma - y
    assert np.isfinite(numeric.mse_sigmoid_grad(np.array([z]), np.array([y]))).all()
    assert numeric.sigmoid(z) == sigma


def test_kl_divergence_diverges_to_inf_not_nan() -> None:
    assert numeric.kl_divergence([1e308, 1e308], [0.5, 0.5]) == INF  # 2e308 ln(2e308): beyond float
    assert numeric.kl_divergence([1.7e308, 1.7e308], [1.0, 1.0]) == INF
    assert numeric.kl_divergence([0.5, 0.5], [1.0, 0.0]) == INF  # q = 0 where p > 0
    huge_q = float(numeric.kl_divergence([1.0, 1.0], [1.7e308, 1.7e308]))
    assert _close(huge_q, 2 * -mp.log(mp.mpf(1.7e308)))
    rows = numeric.kl_divergence(np.array([[0.5, 0.5], [1e308, 1.0]]), np.array([[0.5, 0.5], [1.0, 1.0]]))
    assert rows.tolist() == [0.0, INF]


TIED = [
    ([30.0, 30.0, -30.0], [1.0, 0.0, 0.0]),  # the row: 57 % off before
    ([30.0, 30.0, -30.0], [0.0, 1.0, 0.0]),
    ([30.0, 30.0, -30.0], [0.5, 0.5, 0.0]),
    ([30.0, 30.0, -30.0], [0.3, 0.7, 0.0]),  # labels whose float sum rounds to 1
    ([5.0, 5.0, 5.0, -40.0], [1.0, 0.0, 0.0, 0.0]),
    ([0.0, 0.0, -50.0, -60.0], [0.25, 0.75, 0.0, 0.0]),
    ([40.0, -40.0, 3.0], [1.0, 0.0, 0.0]),  # confident and correct, no tie
    ([-3.0, 12.0, 12.0, 12.0], [0.0, 0.0, 0.0, 1.0]),
]


@pytest.mark.parametrize(("row", "labels"), TIED)
def test_softmax_mse_grad_on_tied_rows_to_1e12_per_entry(row: list[float], labels: list[float]) -> None:
    z = [mp.mpf(v) for v in row]
    total = mp.fsum(mp.exp(v) for v in z)
    a = [mp.exp(v) / total for v in z]
    y = [mp.mpf(v) for v in labels]
    s = mp.fsum(ak * (ak - yk) for ak, yk in zip(a, y, strict=True))
    expected = [2 * ai * ((ai - yi) - s) for ai, yi in zip(a, y, strict=True)]
    got = numeric.softmax_mse_grad(np.array([row]), np.array([labels]), "sum")[0]
    for g, r in zip(got, expected, strict=True):
        assert abs(mp.mpf(g) - r) <= 1e-12 * abs(r), (g, r)


@pytest.mark.parametrize("function", [numeric.softmax, numeric.log_softmax, numeric.entropy])
@pytest.mark.parametrize("axis", [1.5, "x", None, 2, -3])
def test_a_bad_axis_is_a_value_error(function, axis) -> None:
    with pytest.raises(ValueError, match="axis"):
        function(np.full((2, 2), 0.5), axis=axis)


def test_axis_given_as_a_numpy_integer_works() -> None:
    assert numeric.softmax(np.zeros((2, 2)), axis=np.int64(0)).tolist() == [[0.5, 0.5], [0.5, 0.5]]


@pytest.mark.parametrize(
    "call",
    [
        lambda m: numeric.softmax(m),
        lambda m: numeric.softmax_cross_entropy(m, np.ones((1, 3))),
        lambda m: numeric.softmax_cross_entropy(np.zeros((1, 3)), m),
        lambda m: numeric.bce_with_logits(m, np.zeros((1, 3))),
        lambda m: numeric.kl_divergence(np.abs(m), np.ones((1, 3))),
        lambda m: numeric.sparse_softmax_cross_entropy(m, np.array([0])),
    ],
)
def test_masked_arrays_are_refused_not_silently_unmasked(call) -> None:
    masked = np.ma.masked_array([[0.0, 5.0, 1.0]], mask=[[0, 1, 0]])
    with pytest.raises(ValueError, match="masked array; its mask would be ignored"):
        call(masked)


@pytest.mark.parametrize("logits", [[0.3, -1.2, 2.0], [1000.0, -1000.0, 3.0], [-1000.0, -1000.0, -999.0]])
def test_the_softmax_at_a_temperature_is_the_tempered_softmax(logits: list[float]) -> None:
    """numeric.softmax(z, temperature=T) is the verifier's softmax(z/T), stable at logits of +-1000."""
    import mpmath
    import sympy as sp

    from derive.model.activations import tempered_softmax
    from derive.model.symbols import K, i, zv
    from derive.numeric import softmax
    from derive.verify.evaluate import evaluate

    t = sp.Symbol("T", positive=True)
    for temperature in (0.5, 4.0):
        got = softmax(np.array(logits), temperature=temperature)
        for n in range(3):
            with mpmath.workdps(50):
                want = evaluate(tempered_softmax(zv, i, K, t), {K: 3, i: n + 1, t: temperature, zv: [None, *logits]})
            assert got[n] == pytest.approx(float(want), rel=1e-14, abs=1e-300)
        assert softmax(np.array(logits, dtype=np.float32), temperature=temperature).dtype == np.float32


@pytest.mark.parametrize("temperature", [0.0, -1.0, float("inf"), float("nan"), "2"])
def test_a_temperature_that_is_not_positive_is_refused(temperature: object) -> None:
    from derive.numeric import softmax

    with pytest.raises(ValueError, match="temperature must be a positive finite number"):
        softmax(np.array([1.0, 2.0]), temperature=temperature)  # type: ignore[arg-type]
