"""Self-checking exercises on derivation pages: the reader types a result, the page checks it.

For each exercise the build prints, from the verified result, a JavaScript
reference function (:mod:`derive.codegen_js`), functions for the names a reader
may use (the prediction ``a`` for the sigmoid of the logit, ``a_i`` for a
softmax output ...), and draws random points of the result's domain with the
derivation's own samplers (the step's ``where`` included: the labels of
``cce_softmax_grad``'s second result sum to one).  The page's script parses
the reader's expression with jsep and compares it with the reference at every
point (``docs/assets/js/derive-exercise.js``).

>>> data = page_data("bce_sigmoid_grad")
>>> data.label, [name for name, _ in data.names]
('result 1', ['a', 'y', 'z'])
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from derive.codegen_js import JsFunction, javascript
from derive.model.activations import sigmoid, softmax
from derive.model.kinds import SIZE_SYMBOL_NAME
from derive.model.symbols import K, i, j, x, yv, zv
from derive.model.symbols import z as logit
from derive.registry import get
from derive.site.figures.interactive import EXERCISES as SCRIPT
from derive.site.figures.interactive import PARSER, assets_html, attribute_json

POINTS = 30
POINT_DIGITS = 30  # the precision the points are drawn at, whatever mpmath was left at
SIGMA = "exercise_sigma"
SIGMA_NAMES = ("sigma", "sigmoid")


@dataclass(frozen=True)
class Exercise:
    """An exercise: which result, what it asks in words, and the names a reader may use (with their meaning)."""

    result: int  # index into the derivation's results
    asked: str
    names: Callable[[], dict[str, tuple[sp.Basic, str]]]  # name -> (SymPy expression, meaning in words)


def _sigmoid_names() -> dict[str, tuple[sp.Basic, str]]:
    return {"a": (sigmoid(logit), "the prediction, the sigmoid of the logit")}


def _softmax_names(*indices: sp.Symbol) -> Callable[[], dict[str, tuple[sp.Basic, str]]]:
    def names() -> dict[str, tuple[sp.Basic, str]]:
        out: dict[str, tuple[sp.Basic, str]] = {}
        for index in indices:
            out[f"a_{index}"] = (softmax(zv, index, K), f"the softmax output of class {index}")
            out[f"z_{index}"] = (zv[index], f"the logit of class {index}")
        if len(indices) == 2:
            out["delta_ij"] = (sp.KroneckerDelta(*indices), "1 when the classes are the same, 0 otherwise")
        else:
            out[f"y_{indices[0]}"] = (yv[indices[0]], f"the label of class {indices[0]}")
        return out

    return names


def _two_layer_names() -> dict[str, tuple[sp.Basic, str]]:
    from derive.catalogue.two_layer import forward, z1, z2

    passes = forward()
    return {
        "h": (sigmoid(passes[z1]), "the hidden unit's output, the sigmoid of its logit"),
        "a": (sigmoid(passes[z2]), "the network's output, the sigmoid of the output logit"),
    }


EXERCISES: dict[str, Exercise] = {
    "bce_sigmoid_grad": Exercise(0, "the gradient of the loss in the logit", _sigmoid_names),
    "mse_sigmoid_grad": Exercise(0, "the gradient of the loss in the logit", _sigmoid_names),
    "cce_softmax_grad": Exercise(1, "the gradient of the loss in the logit of class i", _softmax_names(i)),
    "softmax_jacobian": Exercise(0, "the derivative of softmax output i in logit j", _softmax_names(i, j)),
    "two_layer_sigmoid_grad": Exercise(0, "the gradient of the loss in the output weight w2", _two_layer_names),
}


def _parameters(expressions: list[sp.Basic]) -> list[sp.Basic]:
    """The variables of the expressions (scalars, vectors, indices; not K, not summation indices), by name."""
    found: dict[str, sp.Basic] = {}
    for expr in expressions:
        bound = {limit[0] for loop in expr.atoms(sp.Sum) for limit in loop.limits}
        bases = expr.atoms(sp.IndexedBase)
        labels = {base.label for base in bases}
        for s in expr.free_symbols:
            if isinstance(s, sp.Symbol) and s not in bound and s not in labels and s.name != SIZE_SYMBOL_NAME:
                found[s.name] = s
        found.update({base.name: base for base in bases})
    return [found[name] for name in sorted(found)]


def _parts(name: str) -> tuple[Exercise, Any, sp.Expr, dict[str, tuple[sp.Basic, str]], list[sp.Basic]]:
    exercise = EXERCISES[name]
    derivation = get(name)
    step = derivation.conclusions[exercise.result]
    names = exercise.names()
    parameters = _parameters([step.eq.rhs, *(expr for expr, _ in names.values())])
    return exercise, derivation, step, names, parameters


def functions(name: str) -> list[JsFunction]:
    """The reference function of exercise ``name`` and one function per named quantity, one signature for all."""
    _exercise, _derivation, step, names, parameters = _parts(name)
    order = [str(p) for p in parameters]
    out = [javascript(f"exercise_{name}", step.eq.rhs, order)]
    out += [javascript(f"exercise_{name}_{alias}", expr, order) for alias, (expr, _) in names.items()]
    return out


def shared_functions() -> list[JsFunction]:
    """The sigmoid a reader may call, printed from the catalogue's sigmoid like everything else."""
    return [javascript(SIGMA, sigmoid(x), ["x"])]


def points(name: str, count: int = POINTS) -> list[dict[str, Any]]:
    """Random points of the result's domain, drawn by the derivation's samplers, as JSON (classes from 0)."""
    _exercise, derivation, step, _names, parameters = _parts(name)
    domain = derivation.domain.override(step.where)
    rng = random.Random(zlib.crc32(name.encode()))
    wanted = {str(p) for p in parameters}
    out = []
    for _ in range(count):
        drawn: dict[Any, Any] = {}
        # The samplers compute in mpmath at its current precision, which other code may have changed: fix it,
        # so that the same page gets the same points (to the last bit of each float) in every build.
        with mpmath.workdps(POINT_DIGITS):
            for symbol, kind in domain.kinds.items():
                drawn[symbol] = kind.draw(rng, drawn)
        point: dict[str, Any] = {}
        for symbol, value in drawn.items():
            key = str(symbol)
            if key not in wanted:
                continue
            if isinstance(value, list):
                point[key] = [float(v) for v in value[1:]]
            elif getattr(symbol, "is_integer", False):
                point[key] = int(value) - 1  # a class index, counted from 0 in JavaScript
            else:
                point[key] = float(value)
        missing = wanted - set(point)
        if missing:
            raise ValueError(f"{name}: the domain draws no value for {', '.join(sorted(missing))}")
        out.append(point)
    return out


def config(name: str) -> dict[str, Any]:
    """What the page's script needs: functions by name, the reader's names, the points."""
    exercise, _derivation, _step, names, parameters = _parts(name)
    reader: list[dict[str, Any]] = [{"name": alias, "function": f"exercise_{name}_{alias}"} for alias in names]
    shown: list[dict[str, Any]] = []
    for parameter in parameters:
        label = str(parameter)
        if isinstance(parameter, sp.IndexedBase):
            shown.append({"parameter": label, "kind": "vector", "label": label})
        elif parameter.is_integer:
            shown.append({"parameter": label, "kind": "index", "label": label})
        else:
            shown.append({"parameter": label, "kind": "scalar", "label": label})
            reader.append({"name": label, "parameter": label})
    vectors = [p for p in parameters if isinstance(p, sp.IndexedBase)]
    if vectors:
        shown.insert(0, {"parameter": str(vectors[0]), "kind": "size", "label": SIZE_SYMBOL_NAME})
    reader.sort(key=lambda entry: entry["name"])
    understood = (
        ", ".join(entry["name"] for entry in reader)
        + ", "
        + ", ".join(f"{f}(...)" for f in (*SIGMA_NAMES[:1], "exp", "log", "sqrt"))
    )
    return {
        "name": name,
        "asked": exercise.asked,
        "reference": f"exercise_{name}",
        "sigma": SIGMA,
        "sigma_names": list(SIGMA_NAMES),
        "names": reader,
        "shown": shown,
        "points": points(name),
        "understood": understood,
    }


@dataclass(frozen=True)
class ExerciseBlock:
    """What a derivation page's exercise shows: the result asked for, the names understood, the block itself."""

    label: str  # the result, "result 1"
    asked: str  # what it is, in words
    names: tuple[tuple[str, str], ...]  # (name, meaning) the reader may use
    points: int
    html: str  # the block the page's script fills, with its configuration and scripts


def page_data(name: str) -> ExerciseBlock | None:
    """What the derivation page's exercise block shows, or None when the derivation has no exercise."""
    if name not in EXERCISES:
        return None
    exercise, _derivation, _step, names, parameters = _parts(name)
    readable = [(alias, meaning) for alias, (_, meaning) in names.items()]
    for parameter in parameters:
        if not isinstance(parameter, sp.IndexedBase) and not parameter.is_integer:
            readable.append((str(parameter), _meaning(str(parameter))))
    readable.sort()
    block = (
        f'<div class="derive-exercise" id="exercise-{name}" data-derive-exercise="{name}" '
        f'data-config="{attribute_json(config(name))}">\n'
        '<p class="derive-needs-script">This exercise checks answers with JavaScript, which is off here.</p>\n'
        '<div class="derive-live"></div>\n'
        "</div>\n\n" + assets_html(PARSER, SCRIPT) + "\n"
    )
    return ExerciseBlock(f"result {exercise.result + 1}", exercise.asked, tuple(readable), POINTS, block)


_MEANINGS = {
    "z": "the logit",
    "y": "the label",
    "x": "the input",
    "w1": "the hidden weight",
    "b1": "the hidden bias",
    "w2": "the output weight",
    "b2": "the output bias",
}


def _meaning(name: str) -> str:
    return _MEANINGS.get(name, "a variable of the result")
