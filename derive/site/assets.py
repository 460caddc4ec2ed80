"""Stage 5: browser assets from npm (KaTeX, jsep), copied into docs/ so the site needs no network.

``package.json`` and ``package-lock.json`` pin them; ``node_modules/`` and the
copies under ``docs/assets/vendor/`` are build products (git-ignored).  The
first build on a fresh machine, or after the lock file gained a package,
runs ``npm ci`` itself.  KaTeX renders the math on every page; jsep parses
the expressions readers type into the exercises, and is loaded only by the
pages that have one.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from derive.errors import BuildError

VENDOR_DIR = Path("docs") / "assets" / "vendor"
VENDOR = VENDOR_DIR / "katex"
FILES = ("katex.min.js", "katex.min.css")


@dataclass(frozen=True)
class Vendored:
    """An npm package's files the site serves: where they are in the package, which, and a folder of extras."""

    package: str
    dist: str
    files: tuple[str, ...]
    folder: str = ""  # copied whole (KaTeX's fonts)


VENDORED = (
    Vendored("katex", "dist", FILES, "fonts"),
    Vendored("jsep", "dist/iife", ("jsep.iife.min.js",)),
)


def _install(root: Path, progress: Callable[[str], None]) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is not installed; it is needed once to fetch KaTeX and jsep (e.g. apt-get install npm)")
    command = [npm, "ci" if (root / "package-lock.json").exists() else "install", "--no-audit", "--no-fund"]
    progress(f"  installing KaTeX and jsep: {' '.join(command[1:])}")
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise BuildError(f"npm could not install the site's packages: {last[0]}")


def ensure_katex(root: Path, progress: Callable[[str], None] = lambda _: None) -> Path:
    """Install the vendored packages if needed and copy their files into docs/; return KaTeX's copy."""
    missing = [v for v in VENDORED if not (root / "node_modules" / v.package / v.dist / v.files[0]).exists()]
    if missing:
        _install(root, progress)
    for vendored in VENDORED:
        dist = root / "node_modules" / vendored.package / vendored.dist
        if not all((dist / f).exists() for f in vendored.files):
            raise BuildError(f"npm did not install {vendored.package}: {dist / vendored.files[0]} is missing")
        sources = [dist / f for f in vendored.files]
        if vendored.folder:
            sources += sorted((dist / vendored.folder).iterdir())
        target = root / VENDOR_DIR / vendored.package
        copied = 0
        for source in sources:
            destination = target / source.relative_to(dist)
            if destination.exists() and filecmp.cmp(source, destination, shallow=False):
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            copied += 1
        if copied:
            progress(f"  copied {copied} {vendored.package} files into {VENDOR_DIR / vendored.package}")
    return root / VENDOR
