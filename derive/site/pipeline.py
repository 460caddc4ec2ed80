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
from typing import Any

from derive.errors import BuildError
from derive.site.cache import DEFAULT_DIR, Cache, hash_parts

Progress = Callable[[str], None]
PACKAGE_DIR = Path(__file__).resolve().parent.parent
GENERATED = Path("docs") / "generated"
# Hand-written inputs of the pages, besides the package's own code.
_INPUTS = ("templates", "docs", "mkdocs.yml", "package.json", "package-lock.json")
_SKIPPED = (GENERATED, Path("docs") / "assets" / "vendor")


def _tree_files(root: Path, names: tuple[str | Path, ...], skip: tuple[Path, ...] = ()) -> list[Path]:
    out: list[Path] = []
    for name in names:
        start = root / name
        candidates = [start] if start.is_file() else sorted(start.rglob("*")) if start.is_dir() else []
        for path in candidates:
            relative = path.relative_to(root)
            if path.is_file() and "__pycache__" not in path.parts and not any(relative.is_relative_to(s) for s in skip):
                out.append(path)
    return out


def _hash_tree(root: Path, paths: list[Path]) -> str:
    return hash_parts(part for path in paths for part in (str(path.relative_to(root)), path.read_bytes()))


def inputs_key(root: Path, points: int) -> str:
    """A hash of everything the generated pages are made from (the package's code included)."""
    code = [p for p in sorted(PACKAGE_DIR.rglob("*.py")) if "__pycache__" not in p.parts]
    sources = hash_parts(part for path in code for part in (str(path.relative_to(PACKAGE_DIR)), path.read_bytes()))
    return hash_parts([sources, _hash_tree(root, _tree_files(root, _INPUTS, _SKIPPED)), f"points={points}"])


def generated_key(root: Path) -> str:
    """A hash of the generated pages as they are now."""
    return _hash_tree(root, _tree_files(root, (GENERATED,)))


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
    points: int = 200,
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


def _plots(data: Any, root: Path, cache: Cache, progress: Progress) -> None:
    from derive.site import plots
    from derive.site.extras import package_key

    source = "".join(path.read_text() for path in plots.PLOT_SOURCES)
    experiment = json.dumps(data.experiment, sort_keys=True)
    code = package_key(source, experiment)
    for plot in plots.PLOTS:
        missing = [n for n in plot.requires if n not in data.derivations]
        if missing:
            progress(f"  skipping plot {plot.name}: needs {', '.join(missing)}")
            continue
        key = code + plot.name
        svg = cache.get_bytes("plots", key, ".svg")
        if svg is None:
            progress(f"  drawing {plot.name}.svg")
            svg = plots.draw(plot, data.experiment)
            cache.put_bytes("plots", key, ".svg", svg)
        data.plots[plot.name] = plot.alt
        data.svg[plot.name] = svg
