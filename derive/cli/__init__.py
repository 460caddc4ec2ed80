"""The ``derive`` command: :mod:`derive.cli.main` and one module per subcommand.

Importing it does not import SymPy: a build with nothing to derive stays fast.
"""
