"""The textbook notation, as data: every rule the printers follow is a value here.

The printers in :mod:`derive.printing.latex` and :mod:`derive.printing.pretty`
read these tables and nothing else, so a change of notation is a change of
one line here (and the golden tests in ``tests/printing`` say what it did).

>>> LABEL_NAMES
frozenset({'y'})
>>> fill(FUNCTION_FORMS["D_KL"], ["p", "q"])
'D_{\\\\mathrm{KL}}\\\\left(p \\\\,\\\\middle\\\\|\\\\, q\\\\right)'
"""

from __future__ import annotations

from dataclasses import dataclass

# Names of symbols and vectors that are labels (the target).  In a sum, terms made of labels alone
# (y, y_i, the one-hot delta_kp, T(y)) print after the other terms: a - y, a_i - y_i, sigma(z) - y.
LABEL_NAMES: frozenset[str] = frozenset({"y"})

# Undefined functions with a textbook form; @0, @1 are the printed arguments.
FUNCTION_FORMS: dict[str, str] = {
    "D_KL": r"D_{\mathrm{KL}}\left(@0 \,\middle\|\, @1\right)",
    "MSE": r"\operatorname{MSE}\left(@0, @1\right)",
}
# The same in the terminal.
FUNCTION_TEXT: dict[str, str] = {
    "D_KL": "D_KL(@0 ‖ @1)",
    "MSE": "MSE(@0, @1)",
}

# The softmax at temperature T (knowledge distillation's softened probabilities), as textbooks write it:
# softmax(z/T)_i; @0 the logits, @1 the temperature, @2 the class index.
TEMPERED_SOFTMAX_FORM = r"\operatorname{softmax}\left(@0 / @1\right)_{@2}"
TEMPERED_SOFTMAX_TEXT = "softmax(@0/@1)[@2]"


def fill(form: str, args: list[str]) -> str:
    """A form with its arguments: ``@0`` is the first."""
    for n, arg in enumerate(args):
        form = form.replace(f"@{n}", arg)
    return form


# Symbols that lead a product, after its number: an error term, as Nielsen writes delta first.
LEADING_NAMES: tuple[str, ...] = ("delta",)

# The logarithm's argument loses its parentheses when it is a single symbol: log p, log a_k.
LOG_BARE_ARGUMENT = True

# The Gaussian normalising constant 1/sqrt(2 pi) prints in front, as in a textbook: 1/(sqrt(2 pi) sigma) e^{...}.
GAUSSIAN_CONSTANT = r"\sqrt{2 \pi}"

# Between two derivatives of a chain rule: dL/dz2 . dz2/dz1 . dz1/dw1.
CHAIN_SEPARATOR = r" \cdot "


@dataclass(frozen=True)
class Layout:
    """How wide a display formula may be before it is broken over aligned lines.

    ``columns`` is measured in characters of SymPy's unicode pretty printer,
    a proxy for the rendered width: the browser test
    ``tests/site/test_layout.py`` checks that no display formula of the
    catalogue is wider than the text column at 1280 px.
    """

    columns: int = 62
    # the same for a phone's column (390 px wide), where a page shows a second, narrower layout
    narrow_columns: int = 30
    # a continuation line starts with this indent (after the alignment point)
    indent: str = r"\quad "


LAYOUT = Layout()
