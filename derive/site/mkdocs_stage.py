"""Stage 6: MkDocs, strict, into a temporary directory that then replaces the site.

If MkDocs fails, the previous site is left exactly as it was.  A site this
stage builds carries a marker file listing every file the build made, and
an existing directory is only ever replaced if it carries that marker:
``derive build --site-dir`` can never delete a user's files, the project's
sources or anything else it did not build.  :func:`check_site_dir` says so
before any work starts (and that the folder can be created at all).

Ownership of a built site: the files the marker lists belong to the build
and are replaced by the next one; files a user adds to a built site (a
``CNAME``, a ``robots.txt``) are the user's and are carried over into every
new build, unless the new build makes a file of the same name: then the
build stops, lists them and changes nothing.

Interrupts and races: the staging folder (``.SITE.building-PID`` beside
the site) is removed when MkDocs fails or the build is interrupted (SIGINT,
SIGTERM); staging folders of builds that were killed outright are removed
by the next build of the same site.  :func:`build_lock` keeps two builds of
one site folder (or of one project's pages) from running at once: the second
says so and waits.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from derive.errors import BuildError, UnsafeSiteDir

SITE_MARKER = ".derive-site"
_MARKER_TEXT = "Built by `derive build`; the next build replaces the files listed below (and keeps any others).\n"
_LISTING = "# files built:\n"
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
    _check_creatable(site_dir)
    return site_dir


def _check_creatable(site_dir: Path) -> None:
    """Raise :class:`UnsafeSiteDir` unless the site (and its staging folder beside it) can be written."""
    existing = site_dir.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UnsafeSiteDir(f"--site-dir {site_dir} cannot be created: {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UnsafeSiteDir(f"--site-dir {site_dir} cannot be created: no permission to write in {existing}")
    if site_dir.is_dir() and not os.access(site_dir, os.W_OK | os.X_OK):
        raise UnsafeSiteDir(f"--site-dir {site_dir}: no permission to write in it")


@contextlib.contextmanager
def build_lock(paths: list[Path], progress: Callable[[str], None] = print) -> Iterator[None]:
    """Hold an exclusive lock (``fcntl.flock``) on each of ``paths`` (lock files, created if needed).

    A build locks its site folder and its project's generated pages; if
    another build holds one of them, this says so once and waits for it.
    The kernel releases the locks when the process ends, however it ends.
    """
    with contextlib.ExitStack() as stack:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = stack.enter_context(open(path, "a+"))  # closed by the stack
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                progress(f"  another derive build is running ({holder}; lock {path}); waiting for it to finish")
                fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}\n")
            handle.flush()
        yield


def site_lock_path(site_dir: Path) -> Path:
    """The lock file of a site folder: beside it, so every project building there shares it.

    >>> site_lock_path(Path("/tmp/site"))
    PosixPath('/tmp/.site.lock')
    """
    return site_dir.with_name(f".{site_dir.name}.lock")


def remove_stale_staging(site_dir: Path) -> list[Path]:
    """Remove staging and old-site folders that killed builds left beside ``site_dir``; return them.

    Call it holding the site's lock: then no other build is using any of them.
    """
    removed = []
    for pattern in (f".{site_dir.name}.building-*", f".{site_dir.name}.old-*"):
        for path in site_dir.parent.glob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


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
    remove_stale_staging(site_dir)
    staging = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        try:
            config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(staging), strict=True)
            build(config)
        except (MkDocsException, SystemExit, OSError) as exc:
            first = collector.messages[0] if collector.messages else str(exc)
            more = f" (and {len(collector.messages) - 1} more warnings)" if len(collector.messages) > 1 else ""
            raise BuildError(f"mkdocs build --strict failed: {first}{more}") from None
        finally:
            logger.removeHandler(collector)
        write_marker(staging)
        _swap(staging, site_dir)
    finally:  # failed, refused or interrupted: the staging folder goes (after a swap it no longer exists)
        shutil.rmtree(staging, ignore_errors=True)


def write_marker(site: Path) -> None:
    """Write the marker of a built site, listing every file in it (those the next build may replace)."""
    built = sorted(str(p.relative_to(site)) for p in site.rglob("*") if not p.is_dir())
    (site / SITE_MARKER).write_text(_MARKER_TEXT + _LISTING + "".join(f"{name}\n" for name in built))


def user_files(site_dir: Path) -> list[str]:
    """Files in a built site that its build did not make (a user added them), relative to it.

    A marker without a listing (a site built before listings existed) counts every file as built.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as scratch:
    ...     site = Path(scratch)
    ...     _ = (site / "index.html").write_text("built")
    ...     write_marker(site)
    ...     _ = (site / "CNAME").write_text("mine")
    ...     user_files(site)
    ['CNAME']
    """
    marker = site_dir / SITE_MARKER
    if not marker.is_file():
        return []
    text = marker.read_text(errors="replace")
    if _LISTING not in text:
        return []
    built = set(text.split(_LISTING, 1)[1].splitlines()) | {SITE_MARKER}
    return sorted(
        name
        for path in site_dir.rglob("*")
        if not path.is_dir() or path.is_symlink()
        if (name := str(path.relative_to(site_dir))) not in built
    )


def _swap(staging: Path, site_dir: Path) -> None:
    # Checked again here, right before anything is moved: only our own site goes.
    if site_dir.exists() and any(site_dir.iterdir()) and not (site_dir / SITE_MARKER).is_file():
        shutil.rmtree(staging, ignore_errors=True)
        raise UnsafeSiteDir(f"{site_dir} was not built by derive build; it is left as it was")
    kept = user_files(site_dir) if site_dir.exists() else []
    clashes = [name for name in kept if (staging / name).exists() or (staging / name).is_symlink()]
    if clashes:
        shutil.rmtree(staging, ignore_errors=True)
        listed = ", ".join(clashes[:5]) + (f" and {len(clashes) - 5} more" if len(clashes) > 5 else "")
        raise UnsafeSiteDir(
            f"{site_dir} holds files you added that the new build would replace: {listed}; "
            "move them away to build (the site is left as it was)"
        )
    for name in kept:  # the user's files are copied into the new site, as they are (links stay links)
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(site_dir / name, target, follow_symlinks=False)
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
