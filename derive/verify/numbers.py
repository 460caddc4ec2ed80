"""The two kinds of number the evaluator computes with: arb balls and mpmath floats.

:mod:`derive.verify.evaluate` compiles a SymPy expression once for either
:data:`ARB` or :data:`MPMATH`; everything that differs between them lives here.

* :data:`ARB` (python-flint's ``arb``): each value is a ball, a midpoint and a
  radius that certainly encloses the exact value.  The verifier uses it: its
  verdicts are certified, and it is about ten times faster than mpmath.
* :data:`MPMATH` (mpmath's ``mpf``): plain high-precision floats, kept for the
  callers that want a number and no enclosure (the plots, kind inference, the
  tests comparing exported code), and because points are drawn as exact
  mpmath floats (:mod:`derive.model.kinds`), converted to balls exactly.

A comparison the balls cannot decide (the two enclose a common value) raises
:class:`Undecided`; the verifier then evaluates again at a higher precision.

>>> with ARB.precision(200):
...     ball = ARB.exp(ARB.number(1, 3))
>>> ARB.is_finite(ball), ARB.bits() == 53
(True, True)
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import flint
import mpmath
from flint import arb

from derive.errors import Undecided


def _arb(x: Any) -> arb:
    return x if type(x) is arb else arb(x)


def _arb_compare(op: str, a: Any, b: Any) -> bool:
    a, b = _arb(a), _arb(b)
    # arb's operators answer True only when the relation holds for every
    # value in the balls; the negation is tried as well before giving up.
    yes, no = {
        "<": (a < b, a >= b),
        "<=": (a <= b, a > b),
        ">": (a > b, a <= b),
        ">=": (a >= b, a < b),
        "==": (a == b, a != b),
        "!=": (a != b, a == b),
    }[op]
    if yes:
        return True
    if no:
        return False
    raise Undecided(f"cannot decide {a} {op} {b} at {flint.ctx.prec} bits")


def _arb_sigmoid(x: Any) -> arb:
    # Both forms are exact algebraically; e^x/(1 + e^x) for negative x keeps the
    # ball tight when e^-x is huge (arb never overflows, but the radius grows).
    x = _arb(x)
    if x < 0:
        e = x.exp()
        return e / (1 + e)
    return 1 / (1 + (-x).exp())


def _mp_sigmoid(x: Any) -> Any:
    # 1/(1 + e^-x) for x >= 0 and e^x/(1 + e^x) otherwise: no overflow either way.
    if x >= 0:
        return 1 / (1 + mpmath.exp(-x))
    e = mpmath.exp(x)
    return e / (1 + e)


def _arb_power(base: Any, exponent: Any) -> Any:
    if type(exponent) is int and type(base) is int and exponent >= 0:
        return base**exponent
    if type(exponent) is int:
        base = _arb(base)
        if exponent > 0 and not (base > 0 or base < 0) and base.is_finite():
            # arb's power of a ball holding 0 is nan: take the power of the ends instead.
            if exponent % 2 == 0:
                even = (base.abs_lower() ** exponent).union(base.abs_upper() ** exponent)
                return even.nonnegative_part()  # the union's ball dips below 0 by a rounding
            return (base.lower() ** exponent).union(base.upper() ** exponent)
        return base**exponent
    return _arb(base) ** _arb(exponent)


def _mp_compare(op: str, a: Any, b: Any) -> bool:
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op]


@dataclass(frozen=True)
class Numbers:
    """One kind of number: constants, functions and comparisons, each a callable."""

    name: str
    number: Callable[[int, int], Any]  # p/q at the working precision
    text: Callable[[str], Any]  # a decimal literal
    pi: Callable[[], Any]
    e: Callable[[], Any]
    infinity: Callable[[int], Any]  # +1 or -1
    exp: Callable[[Any], Any]
    log: Callable[[Any], Any]
    sqrt: Callable[[Any], Any]
    tanh: Callable[[Any], Any]
    cosh: Callable[[Any], Any]
    sinh: Callable[[Any], Any]
    gamma: Callable[[Any], Any]
    sigmoid: Callable[[Any], Any]
    power: Callable[[Any, Any], Any]
    compare: Callable[[str, Any, Any], bool]
    is_finite: Callable[[Any], bool]
    convert: Callable[[Any], Any]  # a point's value (int, float, mpf) to this kind
    bits: Callable[[], int]
    set_bits: Callable[[int], None]
    midpoint: Callable[[Any], Any]  # an exact number inside the value (itself for floats)
    upper_abs: Callable[[Any], float]  # a float at least |value| (inf if it is not finite)

    @contextlib.contextmanager
    def precision(self, bits: int) -> Iterator[None]:
        """Work at ``bits`` bits of precision inside the block."""
        saved = self.bits()
        self.set_bits(bits)
        try:
            yield
        finally:
            self.set_bits(saved)

    def ldexp(self, exponent: int) -> Any:
        """2**exponent, exactly."""
        return self.power(self.number(2, 1), exponent)


def _set_arb_bits(bits: int) -> None:
    flint.ctx.prec = bits


def _set_mp_bits(bits: int) -> None:
    mpmath.mp.prec = bits


def _arb_convert(x: Any) -> Any:
    if type(x) is int or type(x) is arb:
        return x
    if isinstance(x, bool):
        return int(x)
    return arb(x)  # exact for floats and mpmath mpf (binary to binary)


ARB = Numbers(
    name="arb",
    number=lambda p, q: arb(p) / q,
    text=lambda s: arb(s),
    pi=lambda: arb.pi(),
    e=lambda: arb.const_e(),
    infinity=lambda sign: arb.pos_inf() if sign > 0 else arb.neg_inf(),
    exp=lambda x: _arb(x).exp(),
    log=lambda x: _arb(x).log(),
    sqrt=lambda x: _arb(x).sqrt(),
    tanh=lambda x: _arb(x).tanh(),
    cosh=lambda x: _arb(x).cosh(),
    sinh=lambda x: _arb(x).sinh(),
    gamma=lambda x: arb(math.factorial(x - 1)) if type(x) is int and x > 0 else _arb(x).gamma(),
    sigmoid=_arb_sigmoid,
    power=_arb_power,
    compare=_arb_compare,
    is_finite=lambda x: type(x) is int or (type(x) is arb and x.is_finite()),
    convert=_arb_convert,
    bits=lambda: flint.ctx.prec,
    set_bits=_set_arb_bits,
    midpoint=lambda x: x if type(x) is int else _arb(x).mid(),
    upper_abs=lambda x: float(abs(x)) if type(x) is int else float(_arb(x).abs_upper()),
)

MPMATH = Numbers(
    name="mpmath",
    number=lambda p, q: mpmath.mpf(p) / q,
    text=lambda s: mpmath.mpf(s),
    pi=lambda: +mpmath.pi,
    e=lambda: mpmath.e + 0,
    infinity=lambda sign: mpmath.inf if sign > 0 else -mpmath.inf,
    exp=mpmath.exp,
    log=mpmath.log,
    sqrt=mpmath.sqrt,
    tanh=mpmath.tanh,
    cosh=mpmath.cosh,
    sinh=mpmath.sinh,
    gamma=mpmath.gamma,
    sigmoid=_mp_sigmoid,
    power=lambda b, e: b**e if type(b) is int and type(e) is int and e >= 0 else mpmath.power(b, e),
    compare=_mp_compare,
    is_finite=lambda x: isinstance(x, (int, mpmath.mpf)) and mpmath.isfinite(x),
    convert=lambda x: x,
    bits=lambda: mpmath.mp.prec,
    set_bits=_set_mp_bits,
    midpoint=lambda x: x,
    upper_abs=lambda x: float(abs(x)),
)
