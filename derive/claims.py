"""The claims audit: what the source material states, and what the derivations say about it.

Each claim is data: the claim in our own words, which source makes it, a
verdict, the catalogue results (by derivation name and relation label) or
worked examples that settle it, and a short explanation.  The site's audit
page renders this table; the build fails if a cited result does not exist.

>>> by_id = {c.id: c for c in CLAIMS}
>>> by_id["mse-softmax-gradient"].verdict, by_id["mse-softmax-gradient"].title
('incomplete', 'MSE softmax gradient')
>>> all(c.verdict in VERDICTS for c in CLAIMS)
True
"""

from __future__ import annotations

from dataclasses import dataclass

VERDICTS = {
    "holds": "holds",
    "rounded": "holds, but the number is rounded",
    "incomplete": "incomplete",
    "conditional": "holds under a condition the source leaves unsaid",
    "misleading": "true as mathematics, misleading as stated",
}

SOURCES = {
    "shinelee": "the post on why classification uses cross-entropy (blog.shinelee.me)",
    "entropy-post": "the post deriving cross-entropy from information entropy",
    "loss-post": "the post on common loss functions, with worked numbers",
    "keras-post": "the post on softmax classification in TensorFlow/Keras",
    "qa-thread": "the Q&A thread comparing MSE and cross-entropy",
}


@dataclass(frozen=True)
class Evidence:
    """A catalogue relation (``derivation`` and ``label``) or a worked example (``example``)."""

    derivation: str = ""
    label: str = "result 1"
    example: str = ""


@dataclass(frozen=True)
class Claim:
    """One claim of the source material and its verdict."""

    id: str
    source: str
    claim: str
    verdict: str
    evidence: tuple[Evidence, ...]
    explanation: str

    @property
    def title(self) -> str:
        """A short heading made from the id: ``mse-softmax-gradient`` -> ``MSE softmax gradient``."""
        acronyms = {"mse": "MSE", "ce": "CE", "bce": "BCE", "cce": "CCE", "kl": "KL"}
        words = [acronyms.get(w, w) for w in self.id.split("-")]
        return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def _r(name: str, label: str = "result 1") -> Evidence:
    return Evidence(derivation=name, label=label)


def _x(name: str) -> Evidence:
    return Evidence(example=name)


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "self-information",
        "entropy-post",
        "The information carried by an event must be minus the logarithm of its probability: "
        "it has to add up over independent events and shrink as the event gets likelier.",
        "holds",
        (_r("self_information", "result 4"), _r("self_information", "result 1")),
        "Additivity over independent events plus monotonicity leave only -ln p, up to the base of the logarithm.",
    ),
    Claim(
        "self-information-values",
        "loss-post",
        "Outcomes with probabilities 0.7, 0.2 and 0.1 carry 0.36, 1.61 and 2.30 nats.",
        "holds",
        (_x("self_information_0.7"), _x("self_information_0.2"), _x("self_information_0.1")),
        "Rounded to two decimals these are the exact values.",
    ),
    Claim(
        "entropy-value",
        "loss-post",
        "The entropy of the distribution (0.7, 0.2, 0.1) is 0.804 nats.",
        "rounded",
        (_x("entropy_0.7_0.2_0.1"), _x("entropy_0.7_0.2_0.1_rounded")),
        "The exact entropy is 0.8018 nats. The source multiplies the probabilities by self-informations "
        "that were already rounded to two decimals, and the rounding errors add up to the third digit.",
    ),
    Claim(
        "kl-cross-entropy",
        "entropy-post",
        "KL divergence equals cross-entropy minus entropy, so minimising cross-entropy minimises "
        "the KL divergence from the data's distribution.",
        "holds",
        (_r("kl_divergence", "result 2"), _r("kl_divergence", "result 5")),
        "The entropy of the labels does not depend on the model, so the two objectives differ by a constant.",
    ),
    Claim(
        "bce-values",
        "loss-post",
        "With label 1, binary cross-entropy scores predictions 0.6 and 0.7 at 0.51 and 0.36.",
        "holds",
        (_x("bce_0.6_y1"), _x("bce_0.7_y1")),
        "Exact to the digits quoted.",
    ),
    Claim(
        "cce-values",
        "loss-post",
        "With the third class true, categorical cross-entropy scores (0.2, 0.5, 0.3) at 1.2 "
        "and (0.2, 0.2, 0.6) at 0.51.",
        "holds",
        (_x("cce_0.2_0.5_0.3_class3"), _x("cce_0.2_0.2_0.6_class3")),
        "Only the probability of the true class enters the loss.",
    ),
    Claim(
        "mse-prefers-uniform",
        "shinelee",
        "For a one-hot label, MSE is smallest when the wrong classes share the remaining probability "
        "equally, so it prefers (0.8, 0.1, 0.1) to (0.8, 0.15, 0.05); cross-entropy cannot tell them apart.",
        "holds",
        (
            _r("mse_prefers_uniform", "result 1"),
            _r("mse_prefers_uniform", "result 4"),
            _x("mse_0.8_0.1_0.1"),
            _x("mse_0.8_0.15_0.05"),
            _x("ce_0.8_0.1_0.1"),
            _x("ce_0.8_0.15_0.05"),
        ),
        "A Lagrange-multiplier argument gives the minimiser (1 - a_p)/(K - 1) for each wrong class.",
    ),
    Claim(
        "softmax-diagonal",
        "shinelee",
        "The derivative of a softmax output with respect to its own logit is a_p (1 - a_p).",
        "incomplete",
        (_r("softmax_jacobian", "result 1"),),
        "True for the diagonal, but a_p also depends on every other logit (the off-diagonal entries -a_i a_j); "
        "a gradient that uses only the diagonal misses those paths.",
    ),
    Claim(
        "ce-softmax-gradient",
        "shinelee",
        "Cross-entropy through softmax has gradient a_p - 1 with respect to the true class's logit.",
        "holds",
        (_r("cce_softmax_grad", "result 2"),),
        "It is the true-class entry of a - y. For cross-entropy the off-diagonal paths carry zero weight "
        "(the other labels are 0), so the diagonal-only shortcut happens to give the right answer here.",
    ),
    Claim(
        "mse-softmax-gradient",
        "shinelee",
        "MSE through softmax has gradient -2 a_p (1 - a_p)^2 with respect to the true class's logit.",
        "incomplete",
        (_r("mse_softmax_grad", "result 2"), _r("mse_softmax_grad", "result 3")),
        "The source keeps only the direct path through a_p. Every other output also depends on z_p, and "
        "those paths add -2 a_p times the sum of a_k^2 over the other classes. The conclusion survives: "
        "the whole gradient still carries the factor a_p, so it vanishes as a_p goes to 0.",
    ),
    Claim(
        "mse-stalls",
        "shinelee",
        "When the true class gets probability near 0, the MSE gradient vanishes and the weights stop "
        "updating, while the cross-entropy gradient stays near -1.",
        "holds",
        (_r("saturation_limits", "result 5"), _r("saturation_limits", "result 6")),
        "SymPy's limits confirm both: the MSE gradient tends to 0, the cross-entropy one to -1.",
    ),
    Claim(
        "mse-sigmoid-factor",
        "entropy-post",
        "Through a sigmoid, every MSE gradient carries the sigmoid's slope, which vanishes for large |z|; "
        "the cross-entropy gradient does not.",
        "holds",
        (
            _r("mse_sigmoid_grad"),
            _r("bce_sigmoid_grad"),
            _r("sigmoid_derivative", "result 4"),
            _r("sigmoid_derivative", "result 5"),
        ),
        "(a - y) a (1 - a) against a - y: the factor a (1 - a) is the sigmoid's slope.",
    ),
    Claim(
        "two-layer",
        "keras-post",
        "For two sigmoid layers under (a_2 - y)^2/2, the gradient for w_2 is (a_2 - y) a_2 (1 - a_2) a_1.",
        "holds",
        (_r("two_layer_sigmoid_grad"),),
        "Derived by the chain rule and checked against finite differences of the loss.",
    ),
    Claim(
        "cce-general-label",
        "keras-post",
        "Cross-entropy through softmax has gradient a_i times the sum of the labels minus y_i, which is a_i - y_i.",
        "conditional",
        (_r("cce_softmax_grad", "result 1"), _r("cce_softmax_grad", "result 2")),
        "The simplification to a_i - y_i needs labels that sum to 1 (one-hot or a distribution); "
        "with other labels the first form is the right one.",
    ),
    Claim(
        "sparse-equals-categorical",
        "keras-post",
        "Sparse categorical cross-entropy (integer labels) and categorical cross-entropy (one-hot labels) "
        "are the same loss with a different encoding of the label.",
        "holds",
        (_r("sparse_cce", "result 1"), _r("sparse_cce", "result 3")),
        "They agree in value and in gradient when the one-hot vector has its 1 at the integer label.",
    ),
    Claim(
        "noise-models",
        "qa-thread",
        "MSE is the loss for a Gaussian target, binary cross-entropy for a Bernoulli one, "
        "categorical cross-entropy for a categorical (multinomial) one.",
        "holds",
        (_r("gaussian_nll_mse"), _r("bernoulli_nll_bce"), _r("categorical_nll_cce")),
        "Each is the negative log-likelihood of its noise model, up to terms that do not depend on the prediction.",
    ),
    Claim(
        "mse-equals-ce",
        "qa-thread",
        "Cross-entropy and MSE are the same thing.",
        "misleading",
        (_r("gaussian_nll_mse"), _r("bernoulli_nll_bce")),
        "Both are negative log-likelihoods, which is what one answer means; but under different noise models, "
        "and they are different functions with different gradients.",
    ),
)
