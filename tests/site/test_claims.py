"""The claims audit's data: the claims the issue lists, their order, and quotations that are really the source's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from derive.site.content.claims import CLAIMS, SEVERITY, by_severity, source_formulas

# The source material sits beside the checkout (../shared/seeds), or where DERIVE_SEEDS says (a worktree elsewhere).
SEEDS = Path(os.environ.get("DERIVE_SEEDS") or Path(__file__).resolve().parents[2].parent / "shared" / "seeds")
# What the audit must settle (issue 11, item 7), each by its claim id.
REQUIRED = {
    "batch-cross-entropy-index": "wrong",  # ln a_i for ln a_ij
    "kl-is-a-distance": "wrong",  # a distance, "the MSE of information theory"
    "entropy-is-a-sum": "imprecise",  # the sum rather than the expectation of information
    "information-inversely-proportional": "wrong",  # it is -ln p
    "softmax-derivative-typos": "imprecise",  # e^{i_i}, sum_k e^{ik}, sum_{j=i}
    "mse-cannot-output-probabilities": "wrong",  # a loss is not an output layer
    "scale-by-free-parameters": "wrong",  # it is the number of examples
    "normal-targets": "imprecise",  # normality of the noise given x
    "noise-models-as-priors": "imprecise",  # likelihoods, not priors
    "dropping-beta": "incomplete",  # the minimiser stays, the gradient is rescaled
}


def test_every_claim_the_issue_lists_is_audited_with_its_verdict() -> None:
    verdicts = {c.id: c.verdict for c in CLAIMS}
    assert {name: verdicts.get(name) for name in REQUIRED} == REQUIRED


def test_claims_are_listed_most_severe_first() -> None:
    ranks = [SEVERITY.index(c.verdict) for c in by_severity()]
    assert ranks == sorted(ranks) and ranks[0] == 0


def test_dropping_beta_is_settled_by_its_own_derivation() -> None:
    dropping = next(c for c in CLAIMS if c.id == "dropping-beta")
    assert {e.derivation for e in dropping.evidence} == {"scaled_loss_descent"}


def test_the_asymmetry_of_kl_divergence_is_shown_with_two_numbers() -> None:
    from derive.site.content.examples import worked_examples

    kl = next(c for c in CLAIMS if c.id == "kl-is-a-distance")
    values = {e.name: e.value for e in worked_examples()}
    forward, backward = (values[e.example] for e in kl.evidence if e.example)
    assert abs(forward - backward) > 0.01


def test_every_claim_whose_source_writes_latex_quotes_it() -> None:
    quoted = source_formulas()
    # the two posts whose formulas survive as LaTeX text: every claim from them that has a formula
    assert len(quoted) >= 16
    for name in ("batch-cross-entropy-index", "kl-is-a-distance", "entropy-is-a-sum", "softmax-derivative-typos"):
        assert name in quoted


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source material (../shared/seeds) is not beside this checkout")
def test_each_quotation_occurs_verbatim_in_the_source_material() -> None:
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.iterdir()) if path.is_file())
    missing = [(name, tex[:60]) for name, texts in source_formulas().items() for tex in texts if tex not in text]
    assert missing == []


def test_the_typos_the_issue_names_are_in_the_quotation() -> None:
    quoted = " ".join(source_formulas()["softmax-derivative-typos"])
    for typo in ("e^{i_{i}}", r"\sum_{k} e^{i k}", r"\sum_{j=i}"):
        assert typo in quoted


def test_a_quotation_for_a_claim_that_does_not_exist_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from derive.site.content import claims

    monkeypatch.setattr(claims, "QUOTED_FORMULAS", {"no-such-claim": ("x",)})
    with pytest.raises(ValueError, match="no-such-claim"):
        claims.source_formulas()
