"""The activations as SymPy functions, so results stay closed in their inputs.

``sigmoid(z)`` and ``softmax(z, i, K)`` are real SymPy ``Function`` classes:
they print as themselves, differentiate by their own rule, rewrite to ``exp``
and evaluate numerically.  Their derivative rules are *stated* here for
convenience (so ``sympy.diff`` works on user expressions) and *proved* by the
catalogue entries ``sigmoid_derivative`` and ``softmax_jacobian``; the tests
check that the two agree.

>>> import sympy as sp
>>> z = sp.Symbol("z", real=True)
>>> sigmoid(z).rewrite(sp.exp)
1/(1 + exp(-z))
>>> sigmoid(0)
1/2
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import ArgumentIndexError


class sigmoid(sp.Function):  # noqa: N801  (lower case like sympy.exp)
    r"""The logistic function :math:`\sigma(z) = 1 / (1 + e^{-z})`.

    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> sp.diff(sigmoid(z), z)
    (1 - sigmoid(z))*sigmoid(z)
    """

    nargs = 1
    is_real = True

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg.is_zero:
            return sp.S.Half
        if arg is sp.S.Infinity:
            return sp.S.One
        if arg is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        # Proved by the catalogue entry ``sigmoid_derivative``.
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: object) -> sp.Expr:
        return 1 / (1 + sp.exp(-arg))

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_extended_real else None

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        arg = self.args[0]._eval_evalf(prec)
        if arg is None or not arg.is_Number:
            return None
        return (1 / (1 + sp.exp(-arg)))._eval_evalf(prec)


class _OverClasses:
    """The first three arguments of a softmax: the logit vector, the class index and the number of classes."""

    args: tuple[sp.Basic, ...]

    @property
    def logits(self) -> sp.IndexedBase:
        return self.args[0]

    @property
    def index(self) -> sp.Expr:
        return self.args[1]

    @property
    def size(self) -> sp.Expr:
        return self.args[2]


class softmax(_OverClasses, sp.Function):  # noqa: N801
    r"""Component ``i`` of the softmax of the logit vector ``z`` with ``K`` classes.

    ``softmax(z, i, K)`` stands for :math:`e^{z_i} / \sum_{k=1}^{K} e^{z_k}`;
    ``z`` is an :class:`~sympy.IndexedBase`, ``i`` an index and ``K`` a symbol
    or an integer.

    >>> import sympy as sp
    >>> z = sp.IndexedBase("z", real=True)
    >>> i = sp.Symbol("i", integer=True, positive=True)
    >>> K = sp.Symbol("K", integer=True, positive=True)
    >>> softmax(z, i, K).rewrite(sp.exp)
    exp(z[i])/Sum(exp(z[_k]), (_k, 1, K))
    """

    nargs = 3
    is_real = True
    is_positive = True

    def _eval_rewrite_as_exp(self, z: sp.IndexedBase, i: sp.Expr, size: sp.Expr, **kwargs: object) -> sp.Expr:
        k = sp.Dummy("k", integer=True, positive=True)
        return sp.exp(z[i]) / sp.Sum(sp.exp(z[k]), (k, 1, size))

    def _eval_derivative(self, s: sp.Basic) -> sp.Expr:
        if isinstance(s, sp.Indexed) and s.base == self.logits:
            (j,) = s.indices
            # Proved by the catalogue entry ``softmax_jacobian``.
            return self * (sp.KroneckerDelta(self.index, j) - softmax(self.logits, j, self.size))
        if s in self.free_symbols or (isinstance(s, sp.Indexed) and s in self.atoms(sp.Indexed)):
            raise NotImplementedError(f"softmax cannot be differentiated with respect to {s}")
        return sp.S.Zero


class tempered_softmax(_OverClasses, sp.Function):  # noqa: N801
    r"""Component ``i`` of the softmax at temperature ``T``: :math:`e^{z_i/T} / \sum_{k=1}^{K} e^{z_k/T}`.

    ``tempered_softmax(z, i, K, T)`` is ``softmax(z/T)_i``, the softened
    probabilities of knowledge distillation; it prints as such.  It appears in
    results through a verified rewrite (:mod:`derive.yours.readable`): a power
    ``a_i^{1/T}`` of the softmax, normalised over the classes, is this
    function, because the softmax's own normaliser cancels.

    >>> import sympy as sp
    >>> z = sp.IndexedBase("z", real=True)
    >>> i = sp.Symbol("i", integer=True, positive=True)
    >>> K = sp.Symbol("K", integer=True, positive=True)
    >>> T = sp.Symbol("T", positive=True)
    >>> tempered_softmax(z, i, K, T).rewrite(sp.exp)
    exp(z[i]/T)/Sum(exp(z[_k]/T), (_k, 1, K))
    >>> tempered_softmax(z, i, K, 1)
    softmax(z, i, K)
    """

    nargs = 4
    is_real = True
    is_positive = True

    @classmethod
    def eval(cls, z: sp.Basic, i: sp.Basic, size: sp.Basic, temperature: sp.Basic) -> sp.Expr | None:
        if temperature == 1:
            return softmax(z, i, size)
        return None

    @property
    def temperature(self) -> sp.Expr:
        return self.args[3]

    def _eval_rewrite_as_exp(
        self, z: sp.IndexedBase, i: sp.Expr, size: sp.Expr, temperature: sp.Expr, **kwargs: object
    ) -> sp.Expr:
        k = sp.Dummy("k", integer=True, positive=True)
        return sp.exp(z[i] / temperature) / sp.Sum(sp.exp(z[k] / temperature), (k, 1, size))

    def _eval_derivative(self, s: sp.Basic) -> sp.Expr:
        if isinstance(s, sp.Indexed) and s.base == self.logits:
            (j,) = s.indices
            # The softmax Jacobian with the logits scaled by 1/T (chain rule).
            other = tempered_softmax(self.logits, j, self.size, self.temperature)
            return self * (sp.KroneckerDelta(self.index, j) - other) / self.temperature
        if s in self.free_symbols or (isinstance(s, sp.Indexed) and s in self.atoms(sp.Indexed)):
            raise NotImplementedError(f"the tempered softmax cannot be differentiated with respect to {s}")
        return sp.S.Zero


# The activations that are names for expressions in exp: a prover rewrites them all before it works.
EXP_FORMS: tuple[type[sp.Function], ...] = (sigmoid, softmax, tempered_softmax)


def in_exp(expr: sp.Basic) -> sp.Basic:
    """``expr`` with every sigmoid, softmax and softmax with temperature written in exp.

    >>> z = sp.Symbol("z", real=True)
    >>> in_exp(sigmoid(z))
    1/(1 + exp(-z))
    """
    return expr.replace(lambda e: isinstance(e, EXP_FORMS), lambda e: e.rewrite(sp.exp))
