"""The documentation site, built in stages, each in its own module.

:func:`derive.site.pipeline.build_site` reads like the recipe it is:

1. :mod:`~derive.site.collect`: which derivations exist and who uses whom;
2. :mod:`~derive.site.checked`: build and check every derivation, and print it
   (:mod:`~derive.site.printed`, the site's only LaTeX printer) as the typed
   data of :mod:`~derive.site.data`; the worked examples and the experiment
   come from :mod:`~derive.site.content_data`;
3. :mod:`~derive.site.figures`: one module per figure, each drawn as SVG;
4. :mod:`~derive.site.write`: Jinja templates (:mod:`~derive.site.render`) into
   Markdown under docs/generated/, by page kind (:mod:`~derive.site.pages`);
5. :mod:`~derive.site.assets`: KaTeX from npm into docs/assets/vendor/;
6. :mod:`~derive.site.mkdocs_stage`: MkDocs into a temporary directory, then swapped in.

Every cache key is made in :mod:`~derive.site.keys` and stored by
:mod:`~derive.site.cache`; what the site says beyond the derivations lives in
:mod:`~derive.site.content`.
"""
