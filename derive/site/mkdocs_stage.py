"""Stage 6: MkDocs, strict, into a temporary directory that then replaces the site.

If MkDocs fails, the previous site is left exactly as it was.  A site this
stage builds carries a marker file, and an existing directory is only ever
replaced if it carries that marker: ``derive build --site-dir`` can never
delete a user's files, the project's sources or anything else it did not
build.  :func:`check_site_dir` says so before any work starts.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from derive.errors import BuildError, UnsafeSiteDir

SITE_MARKER = ".derive-site"
# Parts of the project a site must never be built into (or over).
PROTECTED = ("docs", "templates", "derive", "tests", "benchmarks", ".git", ".ci", "node_modules")


def check_site_dir(root: Path, site_dir: Path) -> Path:
    """Return ``site_dir`` resolved, or raise :class:`UnsafeSiteDir` saying why it is refused.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as scratch:
    ...     project = Path(scratch)
    ...     check_site_dir(project, project / "site") == (project / "site").resolve()
    True
    >>> check_site_dir(Path("/work/project"), Path("/work"))
    Traceback (most recent call last):
    ...
    derive.errors.UnsafeSiteDir: --site-dir /work contains the project itself; choose a new directory
    """
    site_dir, root = site_dir.resolve(), root.resolve()
    if site_dir == site_dir.parent:
        raise UnsafeSiteDir(f"--site-dir {site_dir} is a filesystem root; choose a new directory")
    if site_dir == root or root.is_relative_to(site_dir):
        raise UnsafeSiteDir(f"--site-dir {site_dir} contains the project itself; choose a new directory")
    for part in PROTECTED:
        if site_dir.is_relative_to(root / part):
            raise UnsafeSiteDir(f"--site-dir {site_dir} is inside the project's {part}/; choose another directory")
    if site_dir.is_file() or (site_dir.exists() and not site_dir.is_dir()):
        raise UnsafeSiteDir(f"--site-dir {site_dir} is a file; choose a directory")
    if site_dir.is_dir() and any(site_dir.iterdir()) and not (site_dir / SITE_MARKER).is_file():
        raise UnsafeSiteDir(
            f"--site-dir {site_dir} exists and was not built by derive build (no {SITE_MARKER} marker); "
            "choose a new or empty directory"
        )
    return site_dir


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0])


def run_mkdocs(root: Path, site_dir: Path) -> None:
    """``mkdocs build --strict`` of ``root/mkdocs.yml`` into ``site_dir``, swapped in atomically."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # a banner, not a warning about this site
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(staging), strict=True)
        build(config)
    except (MkDocsException, SystemExit, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        first = collector.messages[0] if collector.messages else str(exc)
        more = f" (and {len(collector.messages) - 1} more warnings)" if len(collector.messages) > 1 else ""
        raise BuildError(f"mkdocs build --strict failed: {first}{more}") from None
    finally:
        logger.removeHandler(collector)
    (staging / SITE_MARKER).write_text("Built by `derive build`; the next build replaces this directory.\n")
    _swap(staging, site_dir)


def _swap(staging: Path, site_dir: Path) -> None:
    # Checked again here, right before anything is moved: only our own site goes.
    if site_dir.exists() and any(site_dir.iterdir()) and not (site_dir / SITE_MARKER).is_file():
        shutil.rmtree(staging, ignore_errors=True)
        raise UnsafeSiteDir(f"{site_dir} was not built by derive build; it is left as it was")
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
