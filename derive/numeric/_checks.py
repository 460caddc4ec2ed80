"""Input checks and reductions shared by :mod:`derive.numeric`.

Every public function converts its inputs here, so the rules are the same
everywhere: floating inputs keep their dtype (float32 in, float32 out), other
numbers become float64, labels are cast to the dtype of the first argument,
and every bad input raises a :class:`ValueError` whose message names the
argument.

>>> as_floats([1, 2], "z").dtype
dtype('float64')
>>> reduce_loss(np.array([1.0, 3.0]), "mean")
np.float64(2.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

REDUCTIONS = ("mean", "sum", "none")
_KIND_NAMES = {"U": "text", "S": "bytes", "c": "complex numbers", "O": "Python objects", "M": "dates", "m": "durations"}


def as_floats(values: Any, name: str, dtype: np.dtype | None = None) -> np.ndarray:
    """``values`` as a floating array: its own float dtype, ``dtype`` if given, else float64.

    >>> as_floats(np.zeros(2, np.float32), "z").dtype
    dtype('float32')
    >>> as_floats("x", "z")
    Traceback (most recent call last):
    ...
    ValueError: z must be an array of real numbers, got text
    """
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of real numbers: {exc}") from None
    if array.dtype.kind not in "biuf":
        got = _KIND_NAMES.get(array.dtype.kind, array.dtype.name)
        raise ValueError(f"{name} must be an array of real numbers, got {got}")
    if dtype is not None:
        return array.astype(dtype, copy=False)
    if array.dtype.kind == "f" and array.dtype.itemsize >= 4:
        return array
    return array.astype(np.float64)


def check_reduction(reduction: str) -> str:
    """``reduction`` if it is one of "mean", "sum", "none".

    >>> check_reduction("avg")
    Traceback (most recent call last):
    ...
    ValueError: reduction must be one of 'mean', 'sum', 'none', got 'avg'
    """
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        choices = ", ".join(repr(r) for r in REDUCTIONS)
        raise ValueError(f"reduction must be one of {choices}, got {reduction!r}")
    return reduction


def same_shape(first: np.ndarray, second: np.ndarray, names: tuple[str, str]) -> None:
    """Raise unless the two arrays have the same shape (no broadcasting: it hides bugs)."""
    if first.shape != second.shape:
        raise ValueError(
            f"{names[1]} has shape {second.shape}, but {names[0]} has shape {first.shape}: they must match"
        )


def class_axis(z: np.ndarray, name: str) -> int:
    """The number of classes K (the last axis); raise for scalars and empty class axes."""
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"{name} must have classes on its last axis, shape (N, K) with K >= 1, got shape {z.shape}")
    return int(z.shape[-1])


def class_labels(labels: Any, shape: tuple[int, ...], classes: int) -> np.ndarray:
    """Integer class labels in ``0..classes-1`` with shape ``shape`` (the logits without their last axis).

    Whole-valued floats are accepted; anything else names the first bad value.

    >>> class_labels([0, 2], (2,), 3)
    array([0, 2])
    >>> class_labels([0, 3], (2,), 3)
    Traceback (most recent call last):
    ...
    ValueError: labels must be class indices in 0..2 (K = 3), got 3
    """
    array = np.asarray(labels)
    if array.dtype.kind == "f":
        whole = np.isfinite(array) & (array == np.round(array))
        if not whole.all():
            raise ValueError(f"labels must be integers, got {array[~whole].flat[0].item()!r}")
        array = array.astype(np.int64)
    elif array.dtype.kind not in "iu":
        raise ValueError(f"labels must be integers, got an array of {array.dtype.name}")
    if array.shape != shape:
        raise ValueError(f"labels has shape {array.shape}, but the logits z need labels of shape {shape}")
    if array.size:
        low, high = array.min(), array.max()
        if low < 0 or high >= classes:
            bad = low if low < 0 else high
            raise ValueError(f"labels must be class indices in 0..{classes - 1} (K = {classes}), got {bad}")
    return array.astype(np.intp, copy=False)


def reduce_loss(losses: np.ndarray, reduction: str) -> np.ndarray | np.floating:
    """Mean, sum, or the per-sample losses; a reduced loss is a scalar of the input's dtype."""
    if reduction == "none":
        return losses
    if losses.size == 0 and reduction == "mean":
        raise ValueError("the mean of an empty batch is undefined: pass at least one sample, or reduction='sum'")
    total = losses.sum(dtype=losses.dtype)
    return total / losses.dtype.type(losses.size) if reduction == "mean" else total


def gradient_scale(count: int, reduction: str) -> int:
    """The divisor of the per-sample gradient: ``count`` for "mean", 1 for "sum" and "none".

    "none" returns the gradient of each sample's own loss, which is also the
    gradient of their sum.
    """
    if reduction == "mean":
        if count == 0:
            raise ValueError("the mean of an empty batch is undefined: pass at least one sample, or reduction='sum'")
        return count
    return 1
