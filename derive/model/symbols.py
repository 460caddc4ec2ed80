"""The symbols the catalogue shares, with their SymPy assumptions.

Using one set keeps results composable: ``z`` in one derivation is ``z`` in
the next, so a result can be substituted into another.

>>> from derive.model.symbols import z, K
>>> z.is_real, K.is_integer
(True, True)
"""

from __future__ import annotations

import sympy as sp

# scalars
z = sp.Symbol("z", real=True)
a = sp.Symbol("a", positive=True)
y = sp.Symbol("y", nonnegative=True)
p = sp.Symbol("p", positive=True)
q = sp.Symbol("q", positive=True)
x = sp.Symbol("x", real=True)
w = sp.Symbol("w", real=True)
b = sp.Symbol("b", real=True)
sigma = sp.Symbol("sigma", positive=True)

# sizes and indices
K = sp.Symbol("K", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
i, j, k, n = sp.symbols("i j k n", integer=True, positive=True)
c = sp.Symbol("c", integer=True, positive=True)

# vectors over classes 1..K
zv = sp.IndexedBase("z", real=True)
av = sp.IndexedBase("a", positive=True)
yv = sp.IndexedBase("y", nonnegative=True)
pv = sp.IndexedBase("p", positive=True)
qv = sp.IndexedBase("q", positive=True)
