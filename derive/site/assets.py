"""Stage 5: KaTeX, installed from npm and copied into docs/ so the site needs no network.

``package.json`` and ``package-lock.json`` pin KaTeX; ``node_modules/`` and the
copy under ``docs/assets/vendor/`` are build products (git-ignored).  The first
build on a fresh machine runs ``npm ci`` itself.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from derive.errors import BuildError

VENDOR = Path("docs") / "assets" / "vendor" / "katex"
FILES = ("katex.min.js", "katex.min.css")


def ensure_katex(root: Path, progress: Callable[[str], None] = lambda _: None) -> Path:
    """Install KaTeX if needed and copy its script, style and fonts into docs/; return the copy."""
    dist = root / "node_modules" / "katex" / "dist"
    if not (dist / FILES[0]).exists():
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError("npm is not installed; it is needed once to fetch KaTeX (e.g. apt-get install npm)")
        command = [npm, "ci" if (root / "package-lock.json").exists() else "install", "--no-audit", "--no-fund"]
        progress(f"  installing KaTeX: {' '.join(command[1:])}")
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not (dist / FILES[0]).exists():
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise BuildError(f"npm could not install KaTeX: {last[0]}")
    target = root / VENDOR
    sources = [dist / f for f in FILES] + sorted((dist / "fonts").iterdir())
    copied = 0
    for source in sources:
        destination = target / source.relative_to(dist)
        if destination.exists() and filecmp.cmp(source, destination, shallow=False):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        copied += 1
    if copied:
        progress(f"  copied {copied} KaTeX files into {VENDOR}")
    return target
