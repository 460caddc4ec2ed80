"""What a derivation is: :class:`~derive.model.derivation.Step`, ``Body``, ``Derivation`` and ``entry``.

- :mod:`derive.model.derivation`: the declarative unit and its lazy registration.
- :mod:`derive.model.kinds` and :mod:`derive.model.domain`: the kinds of variable a
  derivation declares (their assumptions, random and hard points).
- :mod:`derive.model.symbols`: the symbols the catalogue shares.
- :mod:`derive.model.activations`: sigmoid and softmax as SymPy functions with their own rules.

Importing this package costs nothing: the command line reads :data:`POINTS`
from it before SymPy is loaded.
"""

# How many points the verifier checks each relation at, unless a caller says otherwise.
POINTS = 200
