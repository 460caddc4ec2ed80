"""Every exception type of the project, importable without SymPy.

Three families, each with the exit status the command line gives it:

- :class:`UserError`: bad input from the user (a command-line option, a loss
  string, a derivation's name, a ``--with`` module, an export request, a site
  folder that is not ours): one line, exit status 2.
- :class:`DerivationError`: a derivation is malformed, cannot be built or
  cannot be evaluated: one line, exit status 1.
- :class:`BuildError`: the site build cannot go on: one line, exit status 1.

The command line (:mod:`derive.cli.main`) is the one place that turns them
into messages and exit statuses; no other module catches them to print.

>>> issubclass(LossSyntaxError, UserError), issubclass(ThroughError, DerivationError)
(True, True)
>>> exit_status(UnknownDerivation("unknown derivation 'x'")), exit_status(BuildError("stop"))
(2, 1)
"""

from __future__ import annotations


class DeriveError(Exception):
    """The base of every error this project raises on purpose; its message is one line."""

    exit_status = 1


class UserError(DeriveError):
    """Bad input from the user: printed as one line, exit status 2."""

    exit_status = 2


class UsageError(UserError):
    """A command line that cannot be run as given (a bad option or value)."""


class UnknownDerivation(KeyError, UserError):
    """No derivation has that name; the message lists the closest names."""

    def __str__(self) -> str:
        return str(self.args[0])


class LossSyntaxError(UserError, ValueError):
    """A loss string that is refused or cannot be read; the message is one line."""


class UserModuleError(UserError):
    """A user's ``--with`` module that cannot be loaded or does not give derivations."""


class ExportError(UserError, ValueError):
    """A result the exporter cannot turn into array code, or an unknown backend."""


class UnsafeSiteDir(UserError):
    """The requested site directory holds something this build did not make."""


class DerivationError(DeriveError):
    """A derivation is malformed or could not be built."""


class ThroughError(UserError, DerivationError):
    """A loss :func:`derive.gradient_through` cannot derive; the message says why (bad input: exit 2)."""


class EvaluationError(DerivationError, ValueError):
    """An expression holds something the evaluator cannot evaluate."""


class Undecided(EvaluationError):
    """Two balls overlap where a comparison must be decided: more precision is needed (caught inside the verifier)."""


class ProofTimeout(DeriveError):
    """A symbolic proof attempt ran out of its CPU-time budget (caught inside the verifier)."""


class BuildError(DeriveError):
    """The site build cannot go on; the message is one line for the user."""


def exit_status(error: DeriveError) -> int:
    """The exit status the command line gives ``error``: 2 for bad input, 1 otherwise."""
    return error.exit_status
