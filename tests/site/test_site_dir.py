"""`derive build --site-dir` never deletes what it did not build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from derive.errors import UnsafeSiteDir
from derive.site.mkdocs_stage import SITE_MARKER, _swap, check_site_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("inside", ["docs", "templates", "derive", "tests", ".git", "docs/generated/x"])
def test_refuses_the_project_sources(inside: str) -> None:
    with pytest.raises(UnsafeSiteDir, match="inside the project"):
        check_site_dir(ROOT, ROOT / inside)


@pytest.mark.parametrize("target", [ROOT, ROOT.parent, Path("/")])
def test_refuses_the_project_or_what_contains_it(target: Path) -> None:
    with pytest.raises(UnsafeSiteDir):
        check_site_dir(ROOT, target)


def test_refuses_a_file_and_a_foreign_directory(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(UnsafeSiteDir, match="is a file"):
        check_site_dir(ROOT, a_file)
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_text("mine")
    with pytest.raises(UnsafeSiteDir, match="not built by derive build"):
        check_site_dir(ROOT, foreign)
    assert a_file.read_text() == "mine" and (foreign / "cat.jpg").read_text() == "mine"


def test_accepts_new_empty_and_own_directories(tmp_path: Path) -> None:
    assert check_site_dir(ROOT, tmp_path / "new") == (tmp_path / "new").resolve()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert check_site_dir(ROOT, empty) == empty.resolve()
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / SITE_MARKER).write_text("")
    (ours / "index.html").write_text("old")
    assert check_site_dir(ROOT, ours) == ours.resolve()


def test_swap_leaves_a_foreign_directory_alone(tmp_path: Path) -> None:
    staging, target = tmp_path / "staging", tmp_path / "target"
    staging.mkdir()
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(UnsafeSiteDir):
        _swap(staging, target)
    assert (target / "keep.txt").read_text() == "mine"


def test_swap_replaces_our_own_site(tmp_path: Path) -> None:
    staging, target = tmp_path / "staging", tmp_path / "target"
    staging.mkdir()
    (staging / "index.html").write_text("new")
    target.mkdir()
    (target / SITE_MARKER).write_text("")
    (target / "index.html").write_text("old")
    _swap(staging, target)
    assert (target / "index.html").read_text() == "new"


def test_cli_refuses_before_any_work_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    done = subprocess.run(
        [sys.executable, "-m", "derive", "build", "--site-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "not built by derive build" in done.stderr
    assert done.stdout == ""  # refused before the first stage started
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_built_site_carries_the_marker(built_site: Path) -> None:
    assert (built_site / SITE_MARKER).is_file()
