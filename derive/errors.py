"""The project's error types, importable without SymPy (the command line catches them).

>>> issubclass(DerivationError, Exception), issubclass(UserError, Exception)
(True, True)
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


class DerivationError(Exception):
    """A derivation is malformed or could not be built."""


class BuildError(Exception):
    """The site build cannot go on; the message is one line for the user."""
