"""Stage 4, by page kind: derivation pages, guide pages, and the navigation.

:func:`derive.site.write.write_all` runs the three in turn; each writes its
files through one :class:`~derive.site.render.GeneratedFiles`.
"""

DERIVATIONS_DIR = "derivations"
GUIDE_DIR = "guide"
PLOTS_DIR = "plots"
