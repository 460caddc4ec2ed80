"""The build, as a recipe: collect, verify, plot, render, fetch KaTeX, run MkDocs."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from derive.site.cache import DEFAULT_DIR, Cache
from derive.site.collect import collect
from derive.site.verify_stage import BuildError, verify_all

Progress = Callable[[str], None]


def project_root(start: Path | None = None) -> Path:
    """The directory holding mkdocs.yml: the current one, or the checkout the package lives in."""
    from derive.site.collect import PACKAGE_DIR

    for candidate in (start or Path.cwd(), PACKAGE_DIR.parent):
        if (candidate / "mkdocs.yml").exists() and (candidate / "templates").is_dir():
            return candidate.resolve()
    raise BuildError("no mkdocs.yml and templates/ here; run derive build in the project's checkout")


def build_site(
    root: Path,
    site_dir: Path,
    with_files: tuple[Path, ...] = (),
    progress: Progress = print,
    points: int = 200,
    run_mkdocs_stage: bool = True,
) -> dict[str, float]:
    """Build the whole site; return each stage's time in seconds. Raises BuildError."""
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

    for path in with_files:
        _load_user_module(path, progress)
    catalogue = collect()
    progress(f"[1/6] {len(catalogue.names)} derivations in the catalogue")
    lap("collect")

    progress("[2/6] deriving and checking")
    derivations = verify_all(catalogue, points=points, cache=cache, progress=progress)
    lap("verify")

    from derive.site.extras import examples_data, experiment_data
    from derive.site.pages import SiteData

    data = SiteData(catalogue, derivations, examples_data(cache), experiment_data(cache))
    progress("[3/6] plots")
    _plots(data, root, cache, progress)
    lap("plots")

    progress("[4/6] rendering pages")
    from derive.site.write import write_all

    written = write_all(data, root, progress)
    progress(f"  {written} generated files under docs/generated/")
    lap("render")

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
    if not path.is_file():
        raise BuildError(f"--with {path}: no such file")
    from derive.plugins import load_module

    added = load_module(path)
    progress(f"  {path}: {len(added)} derivations added")


def _plots(data: Any, root: Path, cache: Cache, progress: Progress) -> None:
    from derive.site import plots
    from derive.site.extras import package_key

    source = "".join(path.read_text() for path in plots.PLOT_SOURCES)
    experiment = json.dumps(data.experiment, sort_keys=True) if data.experiment else ""
    code = package_key(source, experiment)
    for plot in plots.PLOTS:
        missing = [n for n in plot.requires if n not in data.derivations]
        if missing or (plot.needs_experiment and data.experiment is None):
            progress(f"  skipping plot {plot.name}: needs {', '.join(missing) or 'derive.experiment'}")
            continue
        key = code + plot.name
        svg = cache.get_bytes("plots", key, ".svg")
        if svg is None:
            progress(f"  drawing {plot.name}.svg")
            svg = plots.draw(plot, data.experiment)
            cache.put_bytes("plots", key, ".svg", svg)
        data.plots[plot.name] = plot.alt
        data.svg[plot.name] = svg
