"""The label-smoothing figure: drawn from the verified results, its zero crossings at the smoothed label."""

from __future__ import annotations

import matplotlib
import mpmath
import numpy as np
import pytest

from derive.registry import get
from derive.site import figures
from derive.site.figures import label_smoothing

matplotlib.use("Agg")


@pytest.mark.parametrize("share", label_smoothing.SHARES)
@pytest.mark.parametrize("bits", [53, 169])  # whatever precision another caller left mpmath at
def test_smoothed_gradient_vanishes_at_the_smoothed_label(share: float, bits: int) -> None:
    classes = label_smoothing.CLASSES
    with mpmath.workprec(bits):
        assert label_smoothing.smoothed_target(share) == pytest.approx(1 - share + share / classes, abs=1e-12)


def test_plain_cross_entropy_is_the_probability_less_one() -> None:
    plain = get("cce_softmax_grad").result.rhs
    for probability in (0.001, 0.5, 0.999):
        assert label_smoothing._at_true_class(plain, probability) == pytest.approx(probability - 1, abs=1e-12)


def test_figure_draws_its_three_curves_with_the_caption_words() -> None:
    import matplotlib.pyplot as plt

    assert "derive.site.figures.label_smoothing" in figures.FIGURE_MODULES
    fig = plt.figure(figsize=label_smoothing.SIZE)
    try:
        label_smoothing.draw(fig, np)
        (ax,) = fig.axes
        _, labels = ax.get_legend_handles_labels()
        assert labels == ["cross-entropy, no smoothing", "smoothing share 0.1", "smoothing share 0.2"]
        plain = ax.get_lines()[0].get_ydata()
        assert max(plain) < 0  # never vanishes short of a probability of one
    finally:
        plt.close(fig)
    assert figures.draw(label_smoothing).svg.startswith(b"<?xml")
