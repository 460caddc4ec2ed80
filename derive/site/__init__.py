"""The documentation site, built in stages, each a function in its own module.

:func:`derive.site.pipeline.build_site` reads like the recipe it is:

1. :mod:`~derive.site.collect`: which derivations exist and who uses whom;
2. :mod:`~derive.site.checked`: build and check every derivation, and turn
   the verified SymPy objects into LaTeX strings (cached by code hash);
3. :mod:`~derive.site.plots`: the SVG figures (cached by code hash);
4. :mod:`~derive.site.render`: Jinja templates into Markdown under docs/generated/;
5. :mod:`~derive.site.assets`: KaTeX from npm into docs/assets/vendor/;
6. :mod:`~derive.site.mkdocs_stage`: MkDocs into a temporary directory, then swapped in.
"""
