"""derive.numeric against the catalogue's SymPy results, evaluated in 50-digit arithmetic.

Every reference below is taken from a catalogue entry (the loss inside the
``Derivative`` on the left of a gradient result, the formula on its right, or
the right side of a definition) and evaluated with derive.verify.evaluate at the
exact values of the float inputs.  Agreement: relative 1e-12 in float64 and
2e-5 in float32 (its rounding unit is 6e-8, and e^{z - m} turns the rounding
of z - m into a relative error of up to |z - m| units), with an absolute floor
near the underflow threshold, where the true value is not representable.
Where a formula subtracts nearly equal numbers *of the inputs themselves*
(a - y with a soft label y close to a), no float implementation can do
better than the size of those numbers, so those checks pass a ``scale``: the
same bound relative to the terms that cancel.  One-hot and binary labels
need no such scale, and the confident rows below (logits +-40, +-1000) would
expose a naive a - 1.
"""

from __future__ import annotations

from collections.abc import Iterator

import mpmath
import numpy as np
import pytest
import sympy as sp

import derive
from derive import numeric
from derive.model.activations import sigmoid
from derive.verify.evaluate import compile_expr

DPS = 50
RTOL = {np.dtype(np.float64): 1e-12, np.dtype(np.float32): 2e-5}
ATOL = {np.dtype(np.float64): 1e-300, np.dtype(np.float32): 1e-37}
DTYPES = (np.float64, np.float32)
HARD_SCALARS = [-1000.0, -710.0, -40.0, -37.0, -1.0, -1e-300, 0.0, 1e-300, 1.0, 37.0, 40.0, 710.0, 1000.0]


def gradient_result(name: str) -> tuple[sp.Expr, sp.Basic, sp.Expr]:
    """(loss, variable, gradient) of a catalogue gradient result d loss / d variable = gradient."""
    result = derive.get(name).result
    assert isinstance(result.lhs, sp.Derivative), name
    return result.lhs.expr, result.lhs.variables[0], result.rhs


def evaluate(expr: sp.Expr, values: dict[str, object], size: int | None = None, index: int | None = None) -> float:
    """``expr`` at the named values (scalars, or 1-D rows for vectors) in 50 digits, rounded to float64.

    Symbols and vectors are matched by name; ``size`` is K and ``index`` (0-based)
    the free class index of a vector formula.  The formulas are the textbook
    ones (1 - sigmoid(z), ln softmax), so the working precision grows with the
    largest input: e^{-|z|} must stay visible next to 1 for 50 more digits.
    """
    largest = max(float(np.max(np.abs(np.asarray(v, dtype=float)), initial=0)) for v in values.values())
    digits = DPS + int(largest / np.log(10)) + 1
    env: dict[object, object] = {}
    for atom in expr.atoms(sp.IndexedBase):
        env[atom] = [None, *(mpmath.mpf(float(v)) for v in values[atom.name])]
    bound = {limit[0] for loop in expr.atoms(sp.Sum) for limit in loop.limits}
    labels = {base.label for base in expr.atoms(sp.IndexedBase)}
    for atom in {s for s in expr.free_symbols if isinstance(s, sp.Symbol)} - bound - labels:
        if atom.name == "K":
            env[atom] = size
        elif atom.name in values:
            env[atom] = mpmath.mpf(float(values[atom.name]))
        else:
            env[atom] = index + 1
    with mpmath.workdps(digits):
        return float(compile_expr(expr)(env))


def assert_close(ours: np.ndarray, ref: np.ndarray, dtype: np.dtype, scale: np.ndarray | None = None) -> None:
    ours, ref = np.asarray(ours, np.float64), np.asarray(ref, np.float64)
    assert np.isfinite(ours).all(), f"non-finite values where the mathematics is finite: {ours}"
    size = np.abs(ref) if scale is None else np.maximum(np.abs(ref), scale)
    error = np.abs(ours - ref)
    bound = RTOL[np.dtype(dtype)] * size + ATOL[np.dtype(dtype)]
    worst = int(np.argmax(np.where(error <= bound, -1.0, 1.0)))
    assert (error <= bound).all(), f"at {worst}: ours {ours.flat[worst]!r}, reference {ref.flat[worst]!r}"


# ---- inputs ----------------------------------------------------------------


def scalar_inputs(dtype: type) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Logits (random and hard), soft labels in [0, 1], binary labels; 1-D, same length."""
    rng = np.random.default_rng(1)
    hard = np.repeat(HARD_SCALARS, 2)
    z = np.concatenate([rng.normal(0, 4, 60), hard]).astype(dtype)
    soft = rng.random(z.size).astype(dtype)
    binary = np.tile([0.0, 1.0], z.size // 2).astype(dtype)
    return z, soft, binary


def logit_rows(classes: int, dtype: type) -> np.ndarray:
    """Random rows and hard ones: +-1000 alternating, one high, one low, +-40, all zero."""
    rng = np.random.default_rng(classes)
    alternate = np.where(np.arange(classes) % 2 == 0, 1000.0, -1000.0)
    one_high = np.full(classes, -1000.0)
    one_high[0] = 1000.0
    confident = np.zeros(classes)
    confident[-1] = 40.0
    hard = [alternate, one_high, -one_high, confident, -confident, np.zeros(classes)]
    if classes >= 100:  # large K: one random row, and the hardest two (a few seconds in 500 digits)
        return np.vstack([rng.normal(0, 3, (1, classes)), alternate, confident]).astype(dtype)
    return np.vstack([rng.normal(0, 3, (6, classes)), *hard]).astype(dtype)


def class_cases(dtype: type) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[int]]]:
    """(z, soft labels, one-hot labels, integer labels, class indices to check) for K = 2 ... 1000."""
    for classes in (2, 3, 10, 1000):
        z = logit_rows(classes, dtype)
        rng = np.random.default_rng(classes + 1)
        soft = rng.random(z.shape).astype(dtype)
        soft /= soft.sum(axis=-1, keepdims=True)
        # Labels at the top logit, then at the lowest, alternating: confident-right and confident-wrong rows.
        labels = np.where(np.arange(len(z)) % 2 == 0, z.argmax(axis=-1), z.argmin(axis=-1))
        one_hot = np.eye(classes, dtype=dtype)[labels]
        columns = list(range(classes)) if classes <= 10 else [0, 1, classes // 2, classes - 1]
        yield z, soft, one_hot, labels, columns


def per_row(expr: sp.Expr, z: np.ndarray, y: np.ndarray | None, columns: list[int] | None = None) -> np.ndarray:
    out = []
    for row in range(len(z)):
        values = {"z": z[row]} if y is None else {"z": z[row], "y": y[row]}
        if columns is None:
            out.append(evaluate(expr, values, size=z.shape[-1]))
        else:
            out.append([evaluate(expr, values, size=z.shape[-1], index=c) for c in columns])
    return np.array(out)


def per_row_at(expr: sp.Expr, z: np.ndarray, y: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``expr`` for each row at its own class index."""
    values = [{"z": z[r], "y": y[r]} for r in range(len(z))]
    return np.array([evaluate(expr, v, size=z.shape[-1], index=int(c)) for v, c in zip(values, columns, strict=True)])


# ---- activations -------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid(dtype: type) -> None:
    z, _, _ = scalar_inputs(dtype)
    expr = gradient_result("sigmoid_derivative")[0]
    assert expr == sigmoid(sp.Symbol("z", real=True))
    ours = numeric.sigmoid(z)
    assert ours.dtype == dtype
    assert_close(ours, [evaluate(expr, {"z": v}) for v in z], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_and_log_softmax(dtype: type) -> None:
    expr = gradient_result("softmax_jacobian")[0]  # softmax(z, i, K)
    for z, _, _, _, columns in class_cases(dtype):
        probabilities, logs = numeric.softmax(z), numeric.log_softmax(z)
        assert probabilities.dtype == logs.dtype == dtype
        assert_close(probabilities[:, columns], per_row(expr, z, None, columns), dtype)
        assert_close(logs[:, columns], per_row(sp.log(expr), z, None, columns), dtype)
        assert_close(numeric.softmax(z.T, axis=0).T, probabilities, dtype)


# ---- binary losses ---------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("labels", ["soft", "binary"])
def test_bce_with_logits_and_gradient(dtype: type, labels: str) -> None:
    z, soft, binary = scalar_inputs(dtype)
    y = soft if labels == "soft" else binary
    loss, _, gradient = gradient_result("bce_sigmoid_grad")
    ref_loss = np.array([evaluate(loss, {"z": a, "y": b}) for a, b in zip(z, y, strict=True)])
    ref_grad = np.array([evaluate(gradient, {"z": a, "y": b}) for a, b in zip(z, y, strict=True)])
    assert_close(numeric.bce_with_logits(z, y, "none"), ref_loss, dtype)
    assert_close(numeric.bce_with_logits(z, y, "sum"), ref_loss.sum(), dtype)
    mean = numeric.bce_with_logits(z, y)
    assert mean.dtype == dtype
    assert_close(mean, ref_loss.mean(), dtype)
    # a - y cancels only when the label itself is close to a: the scale is the size of a and y.
    scale = None if labels == "binary" else (numeric.sigmoid(z).astype(float) + y) / z.size
    grad = numeric.bce_with_logits_grad(z, y)
    assert grad.dtype == dtype and grad.shape == z.shape
    assert_close(grad, ref_grad / z.size, dtype, scale)
    assert_close(numeric.bce_with_logits_grad(z, y, "none"), ref_grad, dtype, None if scale is None else scale * z.size)


@pytest.mark.parametrize("dtype", DTYPES)
def test_mse_is_the_mean_of_twice_the_catalogue_loss(dtype: type) -> None:
    """The catalogue's loss is (a - y)^2 / 2 per sample; mse is the mean of (a - y)^2 over elements."""
    loss, _, _ = gradient_result("mse_sigmoid_grad")
    a_symbol = sp.Symbol("a", positive=True)
    squared = 2 * loss.subs(sigmoid(sp.Symbol("z", real=True)), a_symbol)
    rng = np.random.default_rng(2)
    a, y = rng.random((2, 5, 7)).astype(dtype)
    a[0, :2], y[0, :2] = (0.0, 1.0), (1.0, 1.0)
    ref = np.array(
        [[evaluate(squared, {"a": u, "y": v}) for u, v in zip(r, s, strict=True)] for r, s in zip(a, y, strict=True)]
    )
    scale = 2 * np.abs(a - y) * (a + y)  # the rounding of a - y, squared
    assert_close(numeric.mse(a, y, "none"), ref, dtype, scale)
    assert_close(numeric.mse(a, y), ref.mean(), dtype, scale.mean())
    assert_close(numeric.mse(a, y, "sum"), ref.sum(), dtype, scale.sum())
    assert numeric.mse(a, y).dtype == dtype


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("labels", ["soft", "binary"])
def test_mse_sigmoid_grad(dtype: type, labels: str) -> None:
    z, soft, binary = scalar_inputs(dtype)
    y = soft if labels == "soft" else binary
    _, _, gradient = gradient_result("mse_sigmoid_grad")
    ref = np.array([evaluate(gradient, {"z": a, "y": b}) for a, b in zip(z, y, strict=True)])
    a = numeric.sigmoid(z).astype(float)
    scale = None if labels == "binary" else 2 * (a + y) * a * (1 - a) / z.size
    ours = numeric.mse_sigmoid_grad(z, y)
    assert ours.dtype == dtype
    assert_close(ours, 2 * ref / z.size, dtype, scale)  # d/dz mean (a - y)^2 = 2/n (a - y) a (1 - a)


# ---- softmax losses ------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_cross_entropy_one_hot_soft_and_sparse(dtype: type) -> None:
    loss, _, gradient = gradient_result("cce_softmax_grad")
    for z, soft, one_hot, labels, columns in class_cases(dtype):
        n = len(z)
        for y in (one_hot, soft):
            ref_loss = per_row(loss, z, y)
            ours = numeric.softmax_cross_entropy(z, y, "none")
            assert ours.dtype == dtype and ours.shape == (n,)
            assert_close(ours, ref_loss, dtype)
            assert_close(numeric.softmax_cross_entropy(z, y), ref_loss.mean(), dtype)
            ref_grad = per_row(gradient, z, y, columns) / n
            a = numeric.softmax(z).astype(float)
            scale = None if y is one_hot else (a + y)[:, columns] / n  # a_i sum y - y_i with soft y_i near a_i
            assert_close(numeric.softmax_cross_entropy_grad(z, y)[:, columns], ref_grad, dtype, scale)
        ref_loss, ref_grad = per_row(loss, z, one_hot), per_row(gradient, z, one_hot, columns)
        assert_close(numeric.sparse_softmax_cross_entropy(z, labels, "none"), ref_loss, dtype)
        assert_close(numeric.sparse_softmax_cross_entropy(z, labels, "sum"), ref_loss.sum(), dtype)
        sparse_grad = numeric.sparse_softmax_cross_entropy_grad(z, labels)
        assert sparse_grad.dtype == dtype
        assert_close(sparse_grad[:, columns], ref_grad / n, dtype)


def test_sparse_cce_is_in_the_catalogue() -> None:
    assert numeric.source("sparse_softmax_cross_entropy") == "sparse_cce"
    assert derive.get("sparse_cce").results


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_mse_scaling_and_gradient(dtype: type) -> None:
    """The catalogue's L is sum_k (a_k - y_k)^2 per sample; softmax_mse averages over all N K elements."""
    loss, _, gradient = gradient_result("mse_softmax_grad")
    for z, soft, one_hot, _, columns in class_cases(dtype):
        n, classes = z.shape
        for y in (one_hot, soft):
            a = numeric.softmax(z).astype(float)
            square_scale = 2 * np.abs(a - y) * (a + y)
            ref_loss = per_row(loss, z, y)
            assert_close(numeric.softmax_mse(z, y), ref_loss.sum() / (n * classes), dtype, square_scale.mean())
            assert_close(numeric.softmax_mse(z, y, "none").sum(axis=-1), ref_loss, dtype, square_scale.sum(axis=-1))
            ref_grad = per_row(gradient, z, y, columns) / (n * classes)
            d = np.abs(a - y)
            scale = 2 * a * (d + (a * d).sum(axis=-1, keepdims=True)) / (n * classes)
            ours = numeric.softmax_mse_grad(z, y)
            assert ours.dtype == dtype
            # The bracket (a_i - y_i) - sum_k a_k (a_k - y_k) cancels in general: checked against its
            # scale; but at the top class of one-hot rows (+-40, +-1000) it is checked to the strict bound.
            assert_close(ours[:, columns], ref_grad, dtype, scale[:, columns])
            if y is one_hot:  # rows whose label is the top class: the confident-and-right ones
                top = z.argmax(axis=-1)
                rows = np.flatnonzero(y[np.arange(n), top] == 1)
                strict = per_row_at(gradient, z[rows], y[rows], top[rows]) / (n * classes)
                assert_close(ours[rows, top[rows]], strict, dtype)


# ---- information ---------------------------------------------------------------


def distributions(classes: int, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(classes)
    p, q = rng.random((2, 4, classes))
    p[1] = 0.0
    p[1, 0] = 1.0  # a certain outcome: exactly 0 and 1
    p[2, ::2] = 0.0  # zeros, 0 ln 0 = 0
    q[3] = p[3] * (1 + 1e-9 * rng.standard_normal(classes))  # q very close to p: D_KL tiny
    p /= p.sum(axis=-1, keepdims=True)
    q /= q.sum(axis=-1, keepdims=True)
    return p.astype(dtype), q.astype(dtype)


def with_zeros_as_limits(row: np.ndarray) -> list[object]:
    """0 ln 0 = 0 is a limit: evaluate zeros as 10^-100000, which mpmath represents exactly."""
    return [mpmath.mpf("1e-100000") if v == 0 else mpmath.mpf(float(v)) for v in row]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("classes", [2, 3, 10, 1000])
def test_entropy_cross_entropy_kl(dtype: type, classes: int) -> None:
    p, q = distributions(classes, dtype)
    refs = {name: derive.get(name).result.rhs for name in ("entropy", "cross_entropy", "kl_divergence")}
    for name, function in (
        ("entropy", numeric.entropy),
        ("cross_entropy", numeric.cross_entropy),
        ("kl_divergence", numeric.kl_divergence),
    ):
        args = (p,) if name == "entropy" else (p, q)
        ours = function(*args)
        assert ours.dtype == dtype and ours.shape == (len(p),)
        expected = []
        for row in range(len(p)):
            values = {"p": with_zeros_as_limits(p[row]), "q": with_zeros_as_limits(q[row])}
            expected.append(evaluate_raw(refs[name], values, classes))
        assert_close(ours, expected, dtype)  # relative to D_KL itself, also where it is ~1e-18


def near_equal_pairs(classes: int, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Normalised rows p and q = p (1 + gap * noise), renormalised: D_KL ~ gap^2, far below its terms ~ gap."""
    rng = np.random.default_rng(classes)
    p = rng.random((3, classes)) + 0.05
    q = p * (1 + gap * rng.standard_normal((3, classes)))
    return p / p.sum(axis=-1, keepdims=True), q / q.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("classes", [2, 3, 10, 1000])
@pytest.mark.parametrize("gap", [1e-3, 1e-6, 1e-9, 1e-12])
def test_kl_divergence_of_nearly_equal_distributions(classes: int, gap: float) -> None:
    """1e-12 relative to D_KL, which is ~gap^2 while the terms p ln(p/q) are ~gap and cancel."""
    p, q = near_equal_pairs(classes, gap)
    reference = derive.get("kl_divergence").result.rhs
    expected = [
        evaluate_raw(reference, {"p": list(map(mpmath.mpf, r)), "q": list(map(mpmath.mpf, s))}, classes)
        for r, s in zip(p.tolist(), q.tolist(), strict=True)
    ]
    assert_close(numeric.kl_divergence(p, q), expected, np.float64)
    if gap <= 1e-6:  # the textbook sum loses eps / gap of D_KL: rejected by the same check
        with pytest.raises(AssertionError):
            assert_close((p * np.log(p / q)).sum(axis=-1), expected, np.float64)


def test_kl_divergence_of_rows_normalised_only_to_rounding() -> None:
    """q = (0.5 + 1e-9, 0.5 - 1e-9) sums to 1 only to rounding; that 5.55e-17 is most of D_KL."""
    p, q = [0.5, 0.5], [0.5 + 1e-9, 0.5 - 1e-9]
    reference = derive.get("kl_divergence").result.rhs
    expected = evaluate_raw(reference, {"p": list(map(mpmath.mpf, p)), "q": list(map(mpmath.mpf, q))}, 2)
    assert expected == pytest.approx(5.751115122915e-17, rel=1e-12)
    assert_close(numeric.kl_divergence(p, q), expected, np.float64)


def evaluate_raw(expr: sp.Expr, vectors: dict[str, list[object]], size: int) -> float:
    env: dict[object, object] = {base: [None, *vectors[base.name]] for base in expr.atoms(sp.IndexedBase)}
    env.update({s: size for s in expr.free_symbols if getattr(s, "name", "") == "K"})
    with mpmath.workdps(DPS):
        return float(compile_expr(expr)(env))


def test_information_at_impossible_outcomes() -> None:
    """p_k > 0 where q_k = 0: the cross-entropy and KL divergence are +inf, as the mathematics says."""
    p, q = np.array([0.5, 0.5]), np.array([1.0, 0.0])
    assert numeric.cross_entropy(p, q) == np.inf and numeric.kl_divergence(p, q) == np.inf
    assert numeric.cross_entropy(q, p) == pytest.approx(np.log(2))
    assert numeric.entropy(np.eye(3)).tolist() == [0.0, 0.0, 0.0]


def test_naive_transcriptions_are_rejected() -> None:
    """The checks above can fail: textbook forms miss at confident logits."""
    z, _, y = scalar_inputs(np.float64)
    _, _, gradient = gradient_result("bce_sigmoid_grad")
    ref = np.array([evaluate(gradient, {"z": a, "y": b}) for a, b in zip(z, y, strict=True)])
    with np.errstate(over="ignore"):
        naive = 1 / (1 + np.exp(-z)) - y  # 1 - sigma(z) rounds to 0 from z = 37: a - 1 loses everything
    with pytest.raises(AssertionError):
        assert_close(naive, ref, np.float64)
    loss, _, _ = gradient_result("cce_softmax_grad")
    rows = np.array([[40.0, 0.0, 0.0], [3.0, 1.0, 0.0]])
    one_hot = np.eye(3)[[0, 0]]
    shifted = rows - rows.max(axis=-1, keepdims=True)
    naive_loss = -(one_hot * (shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True)))).sum(axis=-1)
    with pytest.raises(AssertionError):  # ln(1 + 2e-18) rounds to 0; log1p keeps it
        assert_close(naive_loss, per_row(loss, rows, one_hot), np.float64)
    assert_close(numeric.softmax_cross_entropy(rows, one_hot, "none"), per_row(loss, rows, one_hot), np.float64)
