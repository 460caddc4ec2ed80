"""Who owns what in a site folder; interrupted builds leave no staging folder; one build per site at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import derive
from derive.errors import BuildError, UnsafeSiteDir
from derive.site import mkdocs_stage
from derive.site.mkdocs_stage import SITE_MARKER, build_lock, check_site_dir, run_mkdocs, user_files
from derive.site.render import MARKER, GeneratedFiles

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def fake_mkdocs(monkeypatch: pytest.MonkeyPatch):
    """MkDocs replaced by a build that writes two pages (or does whatever ``behaviour`` says)."""
    import mkdocs.commands.build

    state = {"pages": {"index.html": "home", "a/b.html": "page"}, "raise": None}

    def build(config) -> None:
        site = Path(config["site_dir"])
        for name, text in state["pages"].items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text(text)
        if state["raise"] is not None:
            raise state["raise"]

    monkeypatch.setattr(mkdocs.commands.build, "build", build)
    return state


def _staging(site: Path) -> list[Path]:
    return sorted(site.parent.glob(f".{site.name}.building-*")) + sorted(site.parent.glob(f".{site.name}.old-*"))


def test_user_files_in_a_built_site_are_kept(tmp_path: Path, fake_mkdocs) -> None:
    site = tmp_path / "site"
    run_mkdocs(ROOT, site)
    assert (site / "index.html").read_text() == "home" and user_files(site) == []
    (site / "CNAME").write_text("losses.example.org\n")
    (site / "extra").mkdir()
    (site / "extra" / "notes.txt").write_text("mine")
    assert user_files(site) == ["CNAME", "extra/notes.txt"]
    fake_mkdocs["pages"] = {"index.html": "home 2"}
    run_mkdocs(ROOT, site)
    assert (site / "index.html").read_text() == "home 2"
    assert not (site / "a" / "b.html").exists()  # the build's own file, no longer built: gone
    assert (site / "CNAME").read_text() == "losses.example.org\n"  # the user's: kept
    assert (site / "extra" / "notes.txt").read_text() == "mine"
    run_mkdocs(ROOT, site)  # and kept again: still the user's, not the build's
    assert (site / "CNAME").is_file() and user_files(site) == ["CNAME", "extra/notes.txt"]
    assert _staging(site) == []


def test_a_build_that_would_replace_a_user_file_refuses_and_lists_it(tmp_path: Path, fake_mkdocs) -> None:
    site = tmp_path / "site"
    run_mkdocs(ROOT, site)
    (site / "robots.txt").write_text("mine")
    fake_mkdocs["pages"] = {"index.html": "new", "robots.txt": "generated"}
    with pytest.raises(UnsafeSiteDir, match=r"holds files you added that the new build would replace: robots\.txt"):
        run_mkdocs(ROOT, site)
    assert (site / "robots.txt").read_text() == "mine" and (site / "index.html").read_text() == "home"
    assert _staging(site) == []


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt(), SystemExit(3), OSError("disk full")])
def test_an_interrupted_mkdocs_stage_removes_its_staging_folder(tmp_path: Path, fake_mkdocs, interrupt) -> None:
    site = tmp_path / "site"
    run_mkdocs(ROOT, site)
    fake_mkdocs["pages"], fake_mkdocs["raise"] = {"index.html": "half"}, interrupt
    with pytest.raises((KeyboardInterrupt, BuildError)):
        run_mkdocs(ROOT, site)
    assert _staging(site) == []
    assert (site / "index.html").read_text() == "home"  # the previous site, as it was


def test_staging_folders_of_killed_builds_are_removed_by_the_next(tmp_path: Path, fake_mkdocs) -> None:
    site = tmp_path / "site"
    for leftover in (".site.building-12345", ".site.old-777"):
        (tmp_path / leftover / "assets").mkdir(parents=True)
        (tmp_path / leftover / "assets" / "x.css").write_text("stale")
    (tmp_path / ".sitemap.building-1").mkdir()  # another site's: not ours to remove
    run_mkdocs(ROOT, site)
    assert _staging(site) == []
    assert (tmp_path / ".sitemap.building-1").is_dir()


def test_a_second_build_of_the_same_site_waits_for_the_first(tmp_path: Path) -> None:
    lock = tmp_path / ".site.lock"
    waiter = [sys.executable, "-c", "from derive.site.mkdocs_stage import build_lock as b; import sys\n"]
    waiter[-1] += f"with b([__import__('pathlib').Path({str(lock)!r})], print):\n    print('built', flush=True)\n"
    with build_lock([lock], print):
        second = subprocess.Popen(waiter, stdout=subprocess.PIPE, text=True, env=ENV)
        time.sleep(3)
        assert second.poll() is None  # waiting, not building
    out, _ = second.communicate(timeout=60)
    assert out.splitlines()[0].startswith("  another derive build is running (pid ")
    assert out.splitlines()[-1] == "built"


def test_site_dir_that_cannot_be_created_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(UnsafeSiteDir, match=r"cannot be created: .*notes\.txt is a file"):
        check_site_dir(ROOT, tmp_path / "notes.txt" / "deeper" / "site")
    done = subprocess.run(
        [sys.executable, "-m", "derive", "build", "--site-dir", str(tmp_path / "notes.txt" / "site")],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "cannot be created" in done.stderr


def test_no_write_through_a_symbolic_link(tmp_path: Path) -> None:
    generated = tmp_path / "generated"
    (generated / "derivations").mkdir(parents=True)
    outside = tmp_path / "outside.md"
    outside.write_text(f"<!-- {MARKER} --> precious")
    (generated / "derivations" / "x.md").symlink_to(outside)
    files = GeneratedFiles(generated)
    with pytest.raises(BuildError, match="symbolic link"):
        files.write("derivations/x.md", f"<!-- {MARKER} --> new")
    assert outside.read_text() == f"<!-- {MARKER} --> precious"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (generated / "guide").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BuildError, match="symbolic link"):
        files.write("guide/page.md", f"<!-- {MARKER} --> new")
    assert list(elsewhere.iterdir()) == []
    files.finish()  # removing stale files never follows a link either
    assert outside.exists()


def test_marker_lists_the_built_files(tmp_path: Path, fake_mkdocs) -> None:
    site = tmp_path / "site"
    run_mkdocs(ROOT, site)
    listed = (site / SITE_MARKER).read_text().split("# files built:\n", 1)[1].splitlines()
    assert listed == ["a/b.html", "index.html"]
    assert mkdocs_stage.remove_stale_staging(site) == []


def test_get_of_a_non_string_is_a_clear_type_error() -> None:
    for bad in (123, None, ["cce_softmax_grad"]):
        with pytest.raises(TypeError, match="a derivation's name is a string"):
            derive.get(bad)


@pytest.mark.parametrize("points", [0, -5, 2.5, True])
def test_check_refuses_fewer_than_one_point(points) -> None:
    with pytest.raises(ValueError, match="points must be a whole number of at least 1"):
        derive.get("sigmoid_derivative").check(points=points)
