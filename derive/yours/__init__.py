"""Your own derivations: :func:`gradient_through`, safe parsing of loss strings, ``--with`` modules.

- :mod:`derive.yours.through`: ``gradient_through(loss, prediction, activation)``.
- :mod:`derive.yours.infer_kinds`: which kinds the variables of a user's loss take.
- :mod:`derive.yours.safe_parse`: a loss string read by an AST whitelist, never executed.
- :mod:`derive.yours.modules`: ``--with FILE`` modules of derivations.

Importing this package costs nothing: the command line reads
:data:`ACTIVATIONS` from it before SymPy is loaded.
"""

# The activations `derive through` and `gradient_through` know.
ACTIVATIONS: tuple[str, ...] = ("sigmoid", "softmax", "identity")
