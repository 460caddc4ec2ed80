"""Bounded work for a loss string: cheap limits first, then a time budget and a memory cap; nothing left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from processes import live_in_session

from derive.errors import LimitExceeded, LossSyntaxError, ThroughError
from derive.yours import bounded
from derive.yours.safe_parse import parse_loss

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# Within every cheap limit, and a minute or more of SymPy: the time budget stops it.
THROUGH_SLOW = [sys.executable, "-m", "derive", "through", "exp(exp(exp(exp(exp(a)))))", "--activation", "sigmoid"]


def run(*argv: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "derive", *argv], capture_output=True, text=True, env=ENV, timeout=timeout
    )


# The inputs, each of which ran for minutes or filled the memory before.
@pytest.mark.parametrize(
    ("text", "activation", "limit"),
    [
        ("40**(-1.1337806316665746)*a", "sigmoid", "the exponent limit"),
        ("softplus(cosh(tanh(100)*exp(17)))*a", "sigmoid", "the constant-function limit"),
        ("(a+y+gamma+delta+beta+alpha+eps+epsilon+1)**100", "sigmoid", "the expansion limit"),
        ("sigmoid(" * 20 + "a" + ")" * 20, "sigmoid", "the function-nesting limit"),
        ("exp(" * 6 + "a" + ")" * 6, "sigmoid", "the function-nesting limit"),
        ("sum(sum(sum(a[k]*y[j]*a[i], i), j), k)", "softmax", "the sum-nesting limit"),
        ("a**101", "sigmoid", "the exponent limit"),
        ("a**(2**100)", "sigmoid", "the exponent limit"),
        ("a*1e300", "sigmoid", "the literal limit"),
        ("a*1e-300", "sigmoid", "the literal limit"),
        ("a*1000000000000000", "sigmoid", "the literal limit"),
        ("(a+y)**50*(a+1)**50", "sigmoid", "the expansion limit"),
        ("-" * 80 + "a", "sigmoid", "the nesting limit"),
        ("a*" * 420 + "a", "sigmoid", "the operation limit"),
    ],
)
def test_costly_inputs_are_refused_before_sympy(text: str, activation: str, limit: str) -> None:
    with pytest.raises(LossSyntaxError) as caught:
        parse_loss(text, activation=activation)
    message = str(caught.value)
    assert "\n" not in message
    assert isinstance(caught.value, LimitExceeded)
    assert message.startswith(limit), message


@pytest.mark.parametrize(
    ("text", "activation"),
    [
        ("a", "sigmoid"),
        ("-log(a[c])", "softmax"),
        ("(a - y)**100", "sigmoid"),
        ("sum((a[k] - y[k])**100, k)", "softmax"),
        ("K**100*sum(a[k], k)", "softmax"),
        ("sum(y[k]*log(a[k]/sum(a[j], j)), k)", "softmax"),  # a sum inside a sum: allowed, three deep is not
        ("a**(1/3) + a**1.5", "sigmoid"),
        ("log(sigmoid(exp(tanh(softplus(a)))))", "sigmoid"),
        ("exp(2)*log(3)*a", "sigmoid"),
        ("a*1e-15 + 1e15*y", "sigmoid"),
    ],
)
def test_ordinary_losses_are_within_the_limits(text: str, activation: str) -> None:
    parse_loss(text, activation=activation)


def test_long_flat_sums_are_not_nested_too_deeply() -> None:
    assert parse_loss("+".join(["a"] * 400)) == 400 * parse_loss("a")
    terms = [f"{n}*a**{n % 7}" for n in range(1, 100)]
    assert parse_loss("+".join(terms)).is_Add
    assert parse_loss("*".join(["a"] * 90)) == parse_loss("a**90")
    assert parse_loss("-".join(["y"] * 300) + "+a") == parse_loss("a - 298*y")


def test_no_syntax_warning_leaks() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for text in ("1and a", "0x1for a", "1if a else y", "a is 1"):
            with pytest.raises(LossSyntaxError):
                parse_loss(text)
    assert caught == []
    done = run("through", "1and a", "--activation", "sigmoid")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Warning" not in done.stderr


def test_run_bounded_returns_and_reraises() -> None:
    assert bounded.run_bounded(lambda: [1, 2], seconds=30, memory=2 * 1024**3) == [1, 2]

    def refuse() -> None:
        raise ThroughError("no")

    with pytest.raises(ThroughError, match=r"^no$"):
        bounded.run_bounded(refuse, seconds=30, memory=2 * 1024**3)


def test_run_bounded_caps_memory() -> None:
    def hog() -> int:
        return len(bytearray(3 * 1024**3))

    with pytest.raises(LimitExceeded, match=r"^the memory limit: the loss needed more than 512 MB"):
        bounded.run_bounded(hog, seconds=60, memory=512 * 1024**2)


def test_the_memory_cap_is_on_what_the_work_adds() -> None:
    """A caller already holding gigabytes of address space (JAX and PyTorch loaded) is not refused at once."""
    import mmap

    reserved = mmap.mmap(-1, 3 * 1024**3)  # address space held, never touched
    try:
        assert bounded.run_bounded(lambda: sum(range(1000)), seconds=30, memory=512 * 1024**2) == 499500
    finally:
        reserved.close()


def test_run_bounded_kills_the_child_at_the_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"^the time limit: the loss took longer than 1 s"):
        bounded.run_bounded(lambda: time.sleep(120), seconds=1, memory=2 * 1024**3)
    assert time.monotonic() - started < 60
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child of ours is left, running or unreaped


def test_time_limit_on_the_command_line_leaves_no_process() -> None:
    process = subprocess.Popen(
        [*THROUGH_SLOW, "--time-limit", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        start_new_session=True,
    )
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert err == "derive: error: the time limit: the loss took longer than 2 s (raise it with --time-limit SECONDS)\n"
    assert live_in_session(process.pid) == []


def test_interrupting_derive_through_leaves_no_process() -> None:
    process = subprocess.Popen(
        THROUGH_SLOW,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        start_new_session=True,
    )
    time.sleep(3)
    os.kill(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err == "derive: interrupted\n"
    assert live_in_session(process.pid) == []


def test_killing_derive_through_kills_its_child() -> None:
    process = subprocess.Popen(
        THROUGH_SLOW,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
        start_new_session=True,
    )
    time.sleep(3)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while live_in_session(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert live_in_session(process.pid) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--time-limit", "0"], "--time-limit takes a number of seconds above 0"),
        (["--memory-limit", "lots"], "--memory-limit: not a memory size: 'lots'"),
        (["--memory-limit", "100M"], "--memory-limit must be at least 256M"),
    ],
)
def test_limit_options_are_checked(argv: list[str], message: str) -> None:
    done = run("through", "a", "--activation", "sigmoid", *argv)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and message in done.stderr


def test_plainest_losses_and_a_leading_minus_work() -> None:
    done = run("through", "a", "--activation", "sigmoid", "--points", "20")
    assert done.returncode == 0, done.stderr
    assert "check: passed" in done.stdout
    done = run("through", "-log(a[c])", "--activation", "softmax", "--points", "20")
    assert done.returncode == 0, done.stderr
    assert "check: passed" in done.stdout
    done = run("through", "-a", "--activation", "identity", "--points", "20")
    assert done.returncode == 0, done.stderr
    done = run("through", "-h")
    assert done.returncode == 0 and "usage" in done.stdout  # -h is still help
