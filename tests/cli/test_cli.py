"""The command line: output, exit statuses, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from derive.cli.main import main


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "derive", *argv], capture_output=True, text=True, timeout=300)


def test_list_shows_names_and_titles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "softmax_jacobian" in out and "Jacobian of softmax" in out


def test_show_prints_steps_and_result(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "sigmoid_derivative"]) == 0
    out = capsys.readouterr().out
    assert "Steps:" in out and "Results:" in out and "a = σ(z)" in out


def test_show_latex(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "softmax_jacobian", "--latex"]) == 0
    assert r"\delta_{i j}" in capsys.readouterr().out


def test_check_named_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "sigmoid_derivative", "--points", "20", "--jobs", "1"]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["show", "sigmoid_derivatve"], "did you mean: sigmoid_derivative"),
        (["check", "nope_nothing"], "unknown derivation"),
        (["frobnicate"], "invalid choice"),
        (["check", "--points", "x"], "--points takes a whole number from 1 to"),
        (["check", "--points", "0"], "--points takes a whole number from 1 to"),
        (["build", "--points", "100000000"], "--points takes a whole number from 1 to 100000"),
        (["through", "a*y", "--activation", "sigmoid", "--points", "-3"], "--points takes a whole number"),
        (["list", "--colour"], "unrecognized arguments"),
        ([], "required"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv: list[str], needle: str) -> None:
    result = run(*argv)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_module_entry_point_lists() -> None:
    result = run("list")
    assert result.returncode == 0 and "sigmoid_derivative" in result.stdout


def test_the_parser_and_the_package_import_without_sympy() -> None:
    """`import derive` and the command line's parser stay light: SymPy loads only when something is derived."""
    code = "import sys, derive, derive.cli.main; derive.cli.main.build_parser(); print('sympy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_option_tables_match_what_they_describe() -> None:
    from derive.cli.options import BACKEND_NAMES
    from derive.codegen import BACKENDS
    from derive.yours import ACTIVATIONS

    assert BACKEND_NAMES == tuple(BACKENDS)
    assert set(ACTIVATIONS) == {"sigmoid", "softmax", "identity"}
