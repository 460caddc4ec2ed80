"""Moves shared by derivations; catalogue modules import these, never each other.

- :mod:`derive.recipes.sums`: splitting sums and collapsing Kronecker-delta sums.
- :mod:`derive.recipes.curvature_kinds`: the moderate logit kinds of second-derivative checks.
"""
