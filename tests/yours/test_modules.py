"""A user's own module joins the catalogue; a broken one is one line naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

import derive
from derive import registry
from derive.cli.main import main
from derive.errors import UserModuleError
from derive.model.derivation import Derivation, Entry
from derive.registry import lookup
from derive.yours import modules as plugins
from derive.yours.modules import load_module

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "my_losses.py"
ENTRIES = ROOT / "tests" / "data" / "my_entries.py"


@pytest.fixture(autouse=True)
def _forget_user_modules():
    """Other test files must see the built-in catalogue only."""
    extra, loaded = dict(registry._extra), dict(plugins._loaded)
    yield
    registry._extra.clear()
    registry._extra.update(extra)
    plugins._loaded.clear()
    plugins._loaded.update(loaded)


def test_the_docs_example_joins_the_catalogue() -> None:
    found = load_module(EXAMPLE)
    assert [f.name for f in found] == ["pseudo_huber_grad", "log_cosh_grad", "smooth_l1_grad"]
    assert all(isinstance(f, Derivation) for f in found)
    assert load_module(EXAMPLE) is found  # loading twice adds nothing
    for name in ("pseudo_huber_grad", "log_cosh_grad", "smooth_l1_grad"):
        assert name in derive.names()
        assert lookup(name).module.startswith("derive_user_")
        report = derive.get(name).check()
        assert report.passed, report.first_failure.describe()
    assert str(derive.get("log_cosh_grad").result.rhs) == "-tanh(y - z)"


def test_entries_written_like_the_catalogue() -> None:
    found = load_module(ENTRIES)
    assert [type(f) for f in found] == [Entry]
    assert [f.name for f in found] == ["softplus_derivative"]  # imported entries and derivations are not re-added
    assert derive.get("softplus_derivative").check(points=50).passed


def _write(tmp_path: Path, text: str, name: str = "mine.py") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("import sympy\nx = (\n", r"mine\.py:2: syntax error"),
        ("x = 1\ny = 2\nz = 1 / 0\n", r"mine\.py:3: ZeroDivisionError: division by zero"),
        (
            "import sympy as sp\nimport derive\nfrom derive.model.symbols import a, y\n"
            "d = derive.gradient_through(y**2, a, 'sigmoid')\n",
            r"mine\.py:4: ThroughError: the loss does not contain the prediction a",
        ),
        ("x = 1\n", r"mine\.py: defines no Derivation"),
        (
            "import derive\nfrom derive.model.symbols import a, y\n"
            "d = derive.gradient_through((a - y)**2, a, 'identity', name='sigmoid_derivative')\n",
            r"mine\.py: a derivation named 'sigmoid_derivative' exists already",
        ),
        ("import no_such_module_here\n", r"mine\.py:1: ModuleNotFoundError"),
    ],
)
def test_broken_modules_are_one_line(tmp_path, text, message) -> None:
    with pytest.raises(UserModuleError, match=message) as caught:
        load_module(_write(tmp_path, text))
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path) -> None:
    with pytest.raises(UserModuleError, match="no such file"):
        load_module(tmp_path / "absent.py")


def test_show_and_check_with_a_user_module(capsys) -> None:
    assert main(["show", "--with", str(EXAMPLE), "pseudo_huber_grad"]) == 0
    assert "pseudo-Huber" in capsys.readouterr().out
    status = main(["check", "--with", str(EXAMPLE), "--jobs", "1", "--points", "30", "log_cosh_grad"])
    assert status == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_cli_reports_a_broken_module_in_one_line(tmp_path, capsys) -> None:
    path = _write(tmp_path, "raise RuntimeError('boom')\n", "broken.py")
    assert main(["show", "--with", str(path), "anything"]) == 2
    err = capsys.readouterr().err
    assert err == f"derive: error: {path}:1: RuntimeError: boom\n"


def test_the_docs_page_shows_the_example_module_verbatim() -> None:
    template = (ROOT / "templates" / "pages" / "add-your-own.md.j2").read_text()
    assert "```python\n" + EXAMPLE.read_text() + "```\n" in template
