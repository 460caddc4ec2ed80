"""Input checks and reductions shared by :mod:`derive.numeric`.

Every public function converts its inputs here, so the rules are the same
everywhere: a result has the dtype of the first argument (float16, float32,
float64 in, the same out; integers and bools give float64), float16 is
computed in float32 and rounded once at the end, labels are cast to the
working dtype of the first argument, and every bad input raises a
:class:`ValueError` whose message names the argument.

>>> z, form = first_argument(np.float16(2.0), "z")
>>> z.dtype, z.shape, form
(dtype('float32'), (), Form(dtype=dtype('float16'), scalar=True))
>>> reduce_loss(np.array([1.0, 3.0]), "mean")
np.float64(2.0)
"""

from __future__ import annotations

import operator
from typing import Any, NamedTuple

import numpy as np

REDUCTIONS = ("mean", "sum", "none")
_KIND_NAMES = {"U": "text", "S": "bytes", "c": "complex numbers", "O": "Python objects", "M": "dates", "m": "durations"}


def as_floats(values: Any, name: str, dtype: np.dtype | None = None) -> np.ndarray:
    """``values`` as a floating array: ``dtype`` if given, else its own float dtype, else float64.

    >>> as_floats(np.zeros(2, np.float32), "z").dtype
    dtype('float32')
    >>> as_floats([0, 1], "y", np.dtype(np.float32)).dtype
    dtype('float32')
    >>> as_floats("x", "z")
    Traceback (most recent call last):
    ...
    ValueError: z must be an array of real numbers, got text
    >>> as_floats(np.ma.masked_array([1.0, 2.0], mask=[0, 1]), "z")
    Traceback (most recent call last):
    ...
    ValueError: z is a masked array; its mask would be ignored: pass z.filled(value), e.g. -np.inf for masked logits
    """
    if isinstance(values, np.ma.MaskedArray):
        # np.asarray would drop the mask silently and compute with whatever the masked entries hold.
        raise ValueError(
            f"{name} is a masked array; its mask would be ignored: pass {name}.filled(value), "
            "e.g. -np.inf for masked logits"
        )
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of real numbers: {exc}") from None
    if array.dtype.kind not in "biuf":
        got = _KIND_NAMES.get(array.dtype.kind, array.dtype.name)
        raise ValueError(f"{name} must be an array of real numbers, got {got}")
    if dtype is not None:
        return array.astype(dtype, copy=False)
    if array.dtype.kind == "f":
        return array
    return array.astype(np.float64)


def check_axis(array: np.ndarray, axis: Any, name: str) -> int:
    """``axis`` as an int, if it is a whole number naming an axis of ``array``; else a ValueError.

    >>> check_axis(np.zeros((2, 3)), -1, "z")
    -1
    >>> check_axis(np.zeros((2, 3)), 1.5, "z")
    Traceback (most recent call last):
    ...
    ValueError: axis must be a whole number (an axis of z), got 1.5
    >>> check_axis(np.zeros((2, 3)), 2, "z")
    Traceback (most recent call last):
    ...
    ValueError: axis 2 is out of range for z of shape (2, 3)
    """
    try:
        axis = operator.index(axis)
    except TypeError:
        raise ValueError(f"axis must be a whole number (an axis of {name}), got {axis!r}") from None
    if array.ndim == 0 or not -array.ndim <= axis < array.ndim:
        raise ValueError(f"axis {axis} is out of range for {name} of shape {array.shape}")
    return axis


class Form(NamedTuple):
    """How a result goes back to the caller: in ``dtype``, and as a NumPy scalar if ``scalar``."""

    dtype: np.dtype
    scalar: bool

    def give(self, result: Any) -> Any:
        """``result`` (an array, or a reduced NumPy scalar) in the caller's dtype and shape.

        >>> Form(np.dtype(np.float16), True).give(np.array([0.5], np.float32))
        np.float16(0.5)
        """
        if result.dtype != self.dtype:
            result = result.astype(self.dtype)
        if self.scalar and result.ndim:  # elementwise functions compute a scalar as shape (1,)
            result = result.reshape(())[()]
        return result


def first_argument(values: Any, name: str) -> tuple[np.ndarray, Form]:
    """The working array of a function's first argument, and the :class:`Form` of its result.

    float16 is widened to float32: its 11-bit significand would lose digits
    at every intermediate step (and e^z overflows it from z = 11.1), so the
    function computes in float32 and :meth:`Form.give` rounds once at the end.

    >>> first_argument([[1, 2]], "z")[0].dtype
    dtype('float64')
    >>> first_argument(np.zeros(3, np.float16), "z")[1].dtype
    dtype('float16')
    """
    array = as_floats(values, name)
    form = Form(array.dtype, array.ndim == 0)
    if array.dtype == np.float16:
        array = array.astype(np.float32)
    return array, form


def check_range(values: np.ndarray, name: str, low: float, high: float, what: str) -> None:
    """Raise unless every value is finite and in [low, high]; the message names the first bad one.

    Two reductions (min and max) and no temporary array when the input is
    good: the benchmarked losses call this on every batch.

    >>> check_range(np.array([0.0, 0.5, 1.0]), "y", 0, 1, "labels in [0, 1]")
    >>> check_range(np.array([[0.0, 2.0]]), "y", 0, 1, "labels in [0, 1]")
    Traceback (most recent call last):
    ...
    ValueError: y must hold labels in [0, 1], got 2.0 at index (0, 1)
    >>> check_range(np.array([np.inf]), "y", 0, np.inf, "labels >= 0")
    Traceback (most recent call last):
    ...
    ValueError: y must hold finite labels >= 0, got inf at index (0,)
    """
    if values.size == 0:
        return
    smallest, largest = values.min(), values.max()  # NaN propagates into both, and fails the test below
    if low <= smallest and largest <= high and np.isfinite(smallest) and np.isfinite(largest):
        return
    with np.errstate(invalid="ignore"):
        bad = ~((values >= low) & (values <= high) & np.isfinite(values))
    position = np.unravel_index(int(np.argmax(bad)), values.shape)
    qualifier = "" if np.isfinite(low) and np.isfinite(high) else "finite "  # a bounded range says it already
    index = tuple(int(p) for p in position)
    raise ValueError(f"{name} must hold {qualifier}{what}, got {values[position].item()!r} at index {index}")


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
    """Raise unless the two arrays have the same shape (no broadcasting: it hides bugs).

    >>> same_shape(np.zeros((2, 3)), np.zeros(3), ("z", "y"))
    Traceback (most recent call last):
    ...
    ValueError: y has shape (3,), but z has shape (2, 3): they must match
    """
    if first.shape != second.shape:
        raise ValueError(
            f"{names[1]} has shape {second.shape}, but {names[0]} has shape {first.shape}: they must match"
        )


def class_axis(z: np.ndarray, name: str) -> int:
    """The number of classes K (the last axis); raise for scalars and empty class axes.

    >>> class_axis(np.zeros((4, 3)), "z")
    3
    >>> class_axis(np.float64(1.0), "z")
    Traceback (most recent call last):
    ...
    ValueError: z must have classes on its last axis, shape (N, K) with K >= 1, got shape ()
    """
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


#: Allowed label values, as (low, high, description) for :func:`check_range`.
UNIT_LABELS = (0.0, 1.0, "labels in [0, 1] (soft labels allowed)")
NONNEGATIVE_LABELS = (0.0, np.inf, "labels >= 0 (one-hot or soft rows; rows need not sum to 1)")
REAL_TARGETS = (-np.inf, np.inf, "real numbers")


def paired(
    first: Any,
    second: Any,
    names: tuple[str, str],
    reduction: str,
    allowed: tuple[float, float, str],
    classes: bool = False,
) -> tuple[np.ndarray, np.ndarray, Form]:
    """Working arrays of a loss's (input, labels) and the :class:`Form` of its result.

    Checks the reduction, the shapes (equal), the labels' range ``allowed``
    and, if ``classes``, that the input has a class axis.  A scalar input of
    an elementwise loss is computed as shape (1,): ufuncs return NumPy
    scalars for 0-d arrays, and those cannot take ``out=``.

    >>> z, y, form = paired(0.5, 1, ("z", "y"), "mean", UNIT_LABELS)
    >>> z.shape, y.dtype, form.scalar
    ((1,), dtype('float64'), True)
    >>> paired([0.0, 1.0], [0.0, -1.0], ("z", "y"), "mean", UNIT_LABELS)
    Traceback (most recent call last):
    ...
    ValueError: y must hold labels in [0, 1] (soft labels allowed), got -1.0 at index (1,)
    """
    check_reduction(reduction)
    first, form = first_argument(first, names[0])
    second = as_floats(second, names[1], first.dtype)
    same_shape(first, second, names)
    if classes:
        class_axis(first, names[0])
    check_range(second, names[1], *allowed)
    if first.ndim == 0:
        first, second = first.reshape(1), second.reshape(1)
    return first, second, form


def reduce_loss(losses: np.ndarray, reduction: str) -> np.ndarray | np.floating:
    """Mean, sum, or the per-sample losses; a reduced loss is a scalar of the input's dtype.

    >>> reduce_loss(np.array([1.0, 2.0], np.float32), "sum")
    np.float32(3.0)
    >>> reduce_loss(np.array([1.0, 2.0]), "none").tolist()
    [1.0, 2.0]
    """
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

    >>> gradient_scale(8, "mean"), gradient_scale(8, "sum"), gradient_scale(8, "none")
    (8, 1, 1)
    """
    if reduction == "mean":
        if count == 0:
            raise ValueError("the mean of an empty batch is undefined: pass at least one sample, or reduction='sum'")
        return count
    return 1
