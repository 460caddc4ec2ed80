"""Shared fixtures: one site build per test session, for the site and browser tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once into a temporary directory (checks and plots come from .cache/ when unchanged)."""
    from derive.site.pipeline import build_site, project_root

    site = tmp_path_factory.mktemp("site") / "site"
    build_site(project_root(), site, progress=lambda _: None)
    return site
