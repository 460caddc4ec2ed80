"""The loss parser builds SymPy from a whitelist and never executes the text."""

from __future__ import annotations

import builtins
import os
import subprocess
from pathlib import Path
from unittest import mock

import pytest
import sympy as sp
import sympy.parsing.sympy_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.model.activations import sigmoid
from derive.model.symbols import K, a, av, c, k, y, yv
from derive.yours.safe_parse import LossSyntaxError, parse_loss

MARKER = "MARKER_safe_parse"


@pytest.mark.parametrize(
    ("text", "activation", "expected"),
    [
        ("-(y*log(a) + (1 - y)*log(1 - a))", "sigmoid", -(y * sp.log(a) + (1 - y) * sp.log(1 - a))),
        ("(a - y)**2/2", "sigmoid", (a - y) ** 2 / 2),
        ("0.5*a", "sigmoid", a / 2),
        ("ln(sigmoid(a)) + e**a - pi", "sigmoid", sp.log(sigmoid(a)) + sp.E**a - sp.pi),
        ("-sum(y[k]*log(a[k]), k)", "softmax", -sp.Sum(yv[k] * sp.log(av[k]), (k, 1, K))),
        ("-sum(y[k]*log(a[k]))", "softmax", -sp.Sum(yv[k] * sp.log(av[k]), (k, 1, K))),
        ("-log(a[c])", "softmax", -sp.log(av[c])),
    ],
)
def test_reads_formulas(text, activation, expected) -> None:
    assert parse_loss(text, activation=activation) == expected


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("__import__('os').system('true')", "attribute access '.system'"),
        ("a.__class__", "attribute access '.__class__'"),
        ("().__class__.__bases__", "attribute access '.__bases__'"),
        ("__import__('os')", "the function '__import__'"),
        ("os", "the name 'os'"),
        ("lambda: 1", "lambda"),
        ("[a for a in (1,)]", "a list comprehension"),
        ("'a'", "the literal str"),
        ("a^2", "write powers as **"),
        ("2**10**10", "powers above 100"),
        ("a**1000", "powers above 100"),
        ("1/0", "division by zero"),
        ("log(a, 2)", "takes 1 argument"),
        ("log(x=a)", "keyword"),
        ("a[k]", "need --activation softmax"),
        ("(a := 1)", "':='"),
        ("a" * 1001, "longer than"),
        ("-" * 300 + "a", "nested"),
    ],
)
def test_refuses_with_one_line(text, refused) -> None:
    with pytest.raises(LossSyntaxError) as caught:
        parse_loss(text)
    message = str(caught.value)
    assert refused in message
    assert "\n" not in message


def forbidden(*args, **kwargs):
    raise AssertionError("the parser executed something")


@pytest.fixture
def nothing_may_run(monkeypatch, tmp_path):
    """Run in an empty directory, where a marker file would show that code ran."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _parse_or_refuse(text: str, activation: str) -> None:
    """Parse with eval, exec, sympify-from-text, os.system and subprocesses made to fail the test."""
    with (
        mock.patch.object(builtins, "eval", forbidden),
        mock.patch.object(builtins, "exec", forbidden),
        mock.patch.object(sympy.parsing.sympy_parser, "parse_expr", forbidden),
        mock.patch.object(os, "system", forbidden),
        mock.patch.object(subprocess, "Popen", forbidden),
    ):
        try:
            result = parse_loss(text, activation=activation)
        except LossSyntaxError as exc:
            assert "\n" not in str(exc)
            return
    assert isinstance(result, sp.Expr)


_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ACTIVATIONS = st.sampled_from(["sigmoid", "softmax", "identity"])


@_settings
@given(text=st.text(max_size=80), activation=ACTIVATIONS)
def test_random_text_never_runs(nothing_may_run, text, activation) -> None:
    _parse_or_refuse(text, activation)
    assert not (Path(nothing_may_run) / MARKER).exists()


ATOMS = st.sampled_from(
    [
        "a", "y", "gamma", "eps", "K", "k", "c", "0", "1", "2.5", "1e308", "-3", "pi", "e", "a[k]", "y[c]",
        "os", "__import__", "open", "eval", "exec", "globals()", "__builtins__", "True", "None", "...",
        "'x'", f"'{MARKER}'", "b'x'", "[]", "()", "{}", "1j", "f'{a}'",
    ]
)  # fmt: skip
TEMPLATES = st.sampled_from(
    [
        "{} + {}", "{} - {}", "{} * {}", "{} / {}", "{} ** {}", "-{}", "({})", "log({})", "exp({})",
        "sqrt({})", "sigmoid({})", "tanh({})", "sum({}, {})", "{}[{}]", "{}.{}", "{}.__class__",
        "{}({})", "lambda: {}", "[{} for _ in {}]", "{} if {} else {}", "{} < {}", "{} and {}",
        "__import__('os').system('touch {}')", "open({}, 'w')", "{}^{}", "{}(*{})", "{}(x={})",
        "({} := {})", "{} @ {}", "{} % {}", "{} // {}", "{}[{}:{}]",
    ]
)  # fmt: skip


@st.composite
def expressions(draw, depth: int = 0) -> str:
    if depth > 4 or draw(st.booleans()):
        return draw(ATOMS)
    template = draw(TEMPLATES)
    parts = [draw(expressions(depth + 1)) for _ in range(template.count("{}"))]
    return template.format(*parts)


@_settings
@given(text=expressions(), activation=ACTIVATIONS)
def test_code_shaped_junk_never_runs(nothing_may_run, text, activation) -> None:
    _parse_or_refuse(text, activation)
    assert not (Path(nothing_may_run) / MARKER).exists()
    assert not (Path(nothing_may_run) / "x").exists()
