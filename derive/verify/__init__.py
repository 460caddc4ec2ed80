"""Is it right: the verifier.

- :mod:`derive.verify.check`: checks every step and result of a derivation.
- :mod:`derive.verify.reports`: the reports, and the three statuses a relation can have.
- :mod:`derive.verify.compare`: certified comparison of two sides in arb balls, more bits when undecided.
- :mod:`derive.verify.numbers`: the numbers evaluated with: arb balls (the verifier) or mpmath floats.
- :mod:`derive.verify.evaluate`: SymPy expressions compiled by a dispatch table;
  :mod:`derive.verify.calculus` (derivatives, limits, sums, softmax) and
  :mod:`derive.verify.branches` (Piecewise, comparisons) hold the larger entries.
- :mod:`derive.verify.cases`: equality cases, points approaching a boundary, SymPy's limits.
- :mod:`derive.verify.prove`, :mod:`derive.verify.normal_form`, :mod:`derive.verify.proof_cache`:
  time-boxed symbolic proofs of equations, a normal form for sums, outcomes kept between runs.
- :mod:`derive.verify.intervals`: inequalities proved on the whole domain by interval bisection.
- :mod:`derive.verify.parallel`: many derivations checked in worker processes.
"""
