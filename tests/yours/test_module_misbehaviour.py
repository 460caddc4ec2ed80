"""A --with module or builder that exits, raises or returns the wrong thing cannot fake success."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

MODULE_HEAD = """import sys
from derive.model.derivation import Body, entry
"""


def run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "derive", *argv], capture_output=True, text=True, env=ENV, cwd=cwd, timeout=300
    )


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("sys.exit(0)\n", "mine.py:3: called sys.exit(0); nothing was checked"),
        ("sys.exit(3)\n", "mine.py:3: called sys.exit(3); nothing was checked"),
        ("raise SystemExit('bye')\n", "mine.py:3: called sys.exit('bye'); nothing was checked"),
        ("class Boom(BaseException):\n    pass\nraise Boom('bang')\n", "mine.py:5: Boom: bang"),
        ("raise GeneratorExit\n", "mine.py:3: GeneratorExit: (no message)"),
    ],
)
@pytest.mark.parametrize("command", ["check", "show", "build"])
def test_a_module_that_exits_or_raises_is_one_line(tmp_path: Path, body: str, said: str, command: str) -> None:
    (tmp_path / "mine.py").write_text(MODULE_HEAD + body)
    argv = [command, "--with", "mine.py"]
    if command == "show":
        argv.append("sigmoid_derivative")
    if command == "build":
        argv += ["--site-dir", str(tmp_path / "site")]
    done = run(*argv, cwd=tmp_path)
    assert done.returncode == 2, done
    assert done.stderr == f"derive: error: {said}\n"
    assert "passed" not in done.stdout and not (tmp_path / "site").exists()


BUILDERS = [
    ("    sys.exit(0)\n", "called sys.exit(0); nothing was checked"),
    ("    sys.exit(3)\n", "called sys.exit(3); nothing was checked"),
    ("    raise ValueError('no steps today')\n", "ValueError: no steps today"),
    ("    raise KeyError\n", "KeyError: (no message)"),
    ("    class Boom(BaseException):\n        pass\n    raise Boom('bang')\n", "Boom: bang"),
    ("    return None\n", "returned NoneType, not a derive Body"),
    ("    return 'steps'\n", "returned str, not a derive Body"),
]


def _builder_module(tmp_path: Path, body: str) -> None:
    (tmp_path / "mine.py").write_text(
        MODULE_HEAD + '\n\n@entry("my_broken", "A builder that misbehaves")\ndef my_broken() -> Body:\n' + body
    )


@pytest.mark.parametrize(("body", "said"), BUILDERS)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_builder_that_misbehaves_in_check_is_one_line(tmp_path: Path, body: str, said: str, jobs: str) -> None:
    _builder_module(tmp_path, body)
    done = run("check", "--with", "mine.py", "my_broken", "sigmoid_derivative", "--jobs", jobs, cwd=tmp_path)
    assert done.returncode != 0, done
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("derive: error: mine.py:"), done.stderr
    assert f"the builder of 'my_broken': {said}" in lines[0]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("body", "said"), BUILDERS[:1] + BUILDERS[4:6])
def test_a_builder_that_misbehaves_in_show_is_one_line(tmp_path: Path, body: str, said: str) -> None:
    _builder_module(tmp_path, body)
    done = run("show", "--with", "mine.py", "my_broken", cwd=tmp_path)
    assert done.returncode == 2, done
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and f"the builder of 'my_broken': {said}" in lines[0], done.stderr


def test_a_builder_that_exits_stops_the_build(tmp_path: Path) -> None:
    _builder_module(tmp_path, BUILDERS[0][0])
    done = run("build", "--with", "mine.py", "--site-dir", "site", cwd=tmp_path)
    assert done.returncode == 2, done
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "the builder of 'my_broken': called sys.exit(0)" in lines[0], done.stderr
    assert not (tmp_path / "site").exists()
