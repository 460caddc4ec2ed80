"""The build, as a recipe: collect, verify, plot, render, fetch KaTeX, run MkDocs.

When nothing that decides the generated pages has changed since the last
build (the package's code, the templates, the hand-written docs, mkdocs.yml,
the KaTeX pin, the number of points) and the generated pages are as that
build left them, stages 1 to 4 are skipped: nothing is derived, checked,
plotted or rendered, and SymPy is not even imported.  MkDocs still runs.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from derive.errors import BuildError
from derive.model import POINTS
from derive.site.cache import DEFAULT_DIR, Cache
from derive.site.keys import PACKAGE_DIR, generated_key, inputs_key

if TYPE_CHECKING:
    from derive.site.collect import Catalogue
    from derive.site.data import Figure, Run

Progress = Callable[[str], None]


def project_root(start: Path | None = None) -> Path:
    """The directory holding mkdocs.yml: the current one, or the checkout the package lives in."""
    for candidate in (start or Path.cwd(), PACKAGE_DIR.parent):
        if (candidate / "mkdocs.yml").exists() and (candidate / "templates").is_dir():
            return candidate.resolve()
    raise BuildError("no mkdocs.yml and templates/ here; run derive build in the project's checkout")


def build_site(
    root: Path,
    site_dir: Path,
    with_files: tuple[Path, ...] = (),
    progress: Progress = print,
    points: int = POINTS,
    run_mkdocs_stage: bool = True,
    reuse: bool = True,
) -> dict[str, float]:
    """Build the whole site; return each stage's time in seconds. Raises BuildError.

    ``reuse=False`` runs every stage even when nothing changed (checks and
    plots still come from their caches when their code is unchanged).
    """
    from derive.site.mkdocs_stage import check_site_dir

    if run_mkdocs_stage:
        site_dir = check_site_dir(root, site_dir)  # refuse before any work, not after it
    cache = Cache(root / DEFAULT_DIR)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    unchanged = cache.get_json("build", "last")
    key = inputs_key(root, points)
    if (
        reuse
        and not with_files
        and not _added_entries()
        and unchanged == {"inputs": key, "generated": generated_key(root)}
    ):
        progress("[1-4/6] nothing changed since the last build: derivations, checks, plots and pages reused")
        lap("reuse")
        return _finish(root, site_dir, run_mkdocs_stage, progress, lap, timings)

    from derive.site.checked import verify_all
    from derive.site.collect import collect

    for path in with_files:
        _load_user_module(path, progress)
    catalogue = collect()
    progress(f"[1/6] {len(catalogue.names)} derivations in the catalogue")
    lap("collect")

    progress("[2/6] deriving and checking, and [3/6] drawing the figures meanwhile")
    from concurrent.futures import ThreadPoolExecutor

    import derive.verify.check
    import derive.verify.parallel  # noqa: F401 - imported here, before the checks' thread starts
    from derive.site.content_data import examples_data, experiment_data
    from derive.site.data import SiteData

    # The checks run in worker processes (started from this background thread);
    # the figures are drawn in this thread while they run.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="derive-checks") as background:
        checking = background.submit(verify_all, catalogue, points=points, cache=cache, progress=progress)
        experiment = experiment_data(cache)
        figures = _figures(catalogue, experiment, cache, progress)
        examples = examples_data(cache)
        lap("plots")
        derivations = checking.result()
    lap("verify")
    data = SiteData(catalogue, derivations, examples, experiment, figures)

    progress("[4/6] rendering pages")
    from derive.site.write import write_all

    written = write_all(data, root, progress)
    progress(f"  {written} generated files under docs/generated/")
    lap("render")

    if not with_files and not _added_entries():  # a user's own entries are never reused
        cache.put_json("build", "last", {"inputs": key, "generated": generated_key(root)})
    return _finish(root, site_dir, run_mkdocs_stage, progress, lap, timings)


def _added_entries() -> list[str]:
    """Derivations added to this process's registry by code (not in any file the key covers)."""
    registry = sys.modules.get("derive.registry")  # not loaded: nothing can have been added
    return registry.added() if registry is not None else []


def _finish(
    root: Path,
    site_dir: Path,
    run_mkdocs_stage: bool,
    progress: Progress,
    lap: Callable[[str], None],
    timings: dict[str, float],
) -> dict[str, float]:
    """Stages 5 and 6: KaTeX into docs/, then MkDocs into the site."""
    progress("[5/6] KaTeX")
    from derive.site.assets import ensure_katex

    ensure_katex(root, progress)
    lap("assets")

    if run_mkdocs_stage:
        progress(f"[6/6] mkdocs build --strict into {site_dir}")
        from derive.site.mkdocs_stage import run_mkdocs

        run_mkdocs(root, site_dir)
        lap("mkdocs")
    return timings


def _load_user_module(path: Path, progress: Progress) -> None:
    from derive.yours.modules import load_module

    added = load_module(path)
    progress(f"  {path}: {len(added)} derivations added")


def _figures(catalogue: Catalogue, experiment: tuple[Run, ...], cache: Cache, progress: Progress) -> dict[str, Figure]:
    """Every figure, from the cache when its code and data are unchanged."""
    from derive.site import figures
    from derive.site.data import Figure, to_json
    from derive.site.keys import figure_key

    runs = json.dumps(to_json(experiment), sort_keys=True)
    drawn = {}
    for module in figures.figure_modules():
        key = figure_key(catalogue, figures.module_path(module), module.REQUIRES, runs)
        svg = cache.get_bytes("plots", key, ".svg")
        if svg is None:
            progress(f"  drawing {module.NAME}.svg")
            svg = figures.draw(module, experiment).svg
            cache.put_bytes("plots", key, ".svg", svg)
        drawn[module.NAME] = Figure(module.NAME, module.ALT, svg)
    return drawn
