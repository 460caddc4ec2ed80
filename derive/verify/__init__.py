"""Is it right: the verifier.

- :mod:`derive.verify.check`: checks every step and result of a derivation; the reports.
- :mod:`derive.verify.evaluate`: high-precision evaluation of SymPy expressions.
- :mod:`derive.verify.prove`: time-boxed symbolic proof attempts.
- :mod:`derive.verify.parallel`: many derivations checked in worker processes.
"""
