"""Stage 6: MkDocs, strict, into a temporary directory that then replaces the site.

If MkDocs fails, the previous site is left exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from derive.site.verify_stage import BuildError


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
    _swap(staging, site_dir)


def _swap(staging: Path, site_dir: Path) -> None:
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
