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
    """A catalogue relation (``derivation`` and ``label``) or a worked example (``example``).

    ``caption`` says in words what the relation shows for this claim; the
    formula itself is printed on the page from the verified relation.
    """

    derivation: str = ""
    label: str = "result 1"
    example: str = ""
    caption: str = ""


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


def _r(name: str, label: str = "result 1", caption: str = "") -> Evidence:
    return Evidence(derivation=name, label=label, caption=caption)


def _x(name: str) -> Evidence:
    return Evidence(example=name)


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "self-information",
        "entropy-post",
        "The information carried by an event must be minus the logarithm of its probability: "
        "it has to add up over independent events and shrink as the event gets likelier.",
        "holds",
        (
            _r("self_information", "result 4", "every such measure is a positive multiple of minus the logarithm"),
            _r("self_information", "result 1", "in nats"),
        ),
        "Additivity over independent events plus monotonicity leave only minus the logarithm, up to a positive "
        "factor, which is the choice of the logarithm's base: nats or bits.",
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
        (
            _r("kl_divergence", "result 2", "KL divergence is cross-entropy minus entropy"),
            _r("kl_divergence", "result 5", "so both change by the same amount when the model changes"),
        ),
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
            _r("mse_prefers_uniform", "result 1", "the squared error never falls below its value at the even split"),
            _r("mse_prefers_uniform", "result 3", "its excess over that value is the spread of the wrong classes"),
            _r("mse_prefers_uniform", "result 4", "cross-entropy reads the true class alone"),
            _x("mse_0.8_0.1_0.1"),
            _x("mse_0.8_0.15_0.05"),
            _x("ce_0.8_0.1_0.1"),
            _x("ce_0.8_0.15_0.05"),
        ),
        "Completing the square shows it: with the true class's probability held fixed, the squared error exceeds "
        "its smallest value by the spread of the wrong classes around an equal share of what is left.",
    ),
    Claim(
        "softmax-diagonal",
        "shinelee",
        "A softmax output depends on its own logit the way a sigmoid does, and the gradient can be taken "
        "through that diagonal term of the softmax Jacobian alone.",
        "incomplete",
        (_r("softmax_jacobian", "result 1", "the whole Jacobian: the diagonal, and the entries off it"),),
        "The diagonal term is right, but each output also depends on every other logit, with a negative "
        "derivative off the diagonal. A gradient that uses only the diagonal misses those paths.",
    ),
    Claim(
        "ce-softmax-gradient",
        "shinelee",
        "The gradient of cross-entropy through softmax with respect to the true class's logit is the "
        "predicted probability of that class minus one.",
        "holds",
        (_r("cce_softmax_grad", "result 2", "prediction minus label, for labels that sum to one"),),
        "It is the true class's entry of prediction minus label. For cross-entropy the off-diagonal paths "
        "carry zero weight (the other labels are 0), so the diagonal-only shortcut happens to give the right "
        "answer here.",
    ),
    Claim(
        "mse-softmax-gradient",
        "shinelee",
        "The gradient of MSE through softmax with respect to the true class's logit follows the true "
        "class's own output alone: the derivative of its squared error times the diagonal slope of softmax.",
        "incomplete",
        (
            _r("mse_softmax_grad", "result 2", "the whole gradient at the true class's logit, one-hot label"),
            _r(
                "mse_softmax_grad",
                "result 3",
                "the whole gradient minus the source's direct-path formula: the part the source leaves out",
            ),
            _r("mse_softmax_grad", "result 4", "and what it leaves out is never zero"),
        ),
        "The source keeps only the direct path through the true class's output. Every other output also "
        "depends on the true class's logit, and those paths add a term proportional to the true class's "
        "probability times the sum of the squared probabilities of the other classes. The conclusion "
        "survives: the whole gradient still carries the true class's probability as a factor, so it "
        "vanishes as that probability goes to 0.",
    ),
    Claim(
        "mse-stalls",
        "shinelee",
        "When the true class gets probability near 0, the MSE gradient vanishes and the weights stop "
        "updating, while the cross-entropy gradient stays near -1.",
        "holds",
        (
            _r("saturation_limits", "result 5", "the squared error's gradient, true class's logit to minus infinity"),
            _r("saturation_limits", "result 6", "the cross-entropy gradient, in the same limit"),
        ),
        "SymPy's limits confirm both: the MSE gradient tends to 0, the cross-entropy one to -1.",
    ),
    Claim(
        "mse-sigmoid-factor",
        "entropy-post",
        "Through a sigmoid, every MSE gradient carries the sigmoid's slope, which vanishes for logits far "
        "from zero; the cross-entropy gradient does not.",
        "holds",
        (
            _r("bce_sigmoid_grad", "result 1", "the cross-entropy gradient: the prediction error alone"),
            _r("mse_sigmoid_grad", "result 2", "the squared error's gradient: the same error times the slope"),
            _r("sigmoid_derivative", "result 4", "the slope vanishes for large positive logits"),
            _r("sigmoid_derivative", "result 5", "and for large negative ones"),
        ),
        "The squared error's gradient is the cross-entropy gradient multiplied by the sigmoid's slope.",
    ),
    Claim(
        "two-layer",
        "keras-post",
        "For two sigmoid layers trained on half the squared error, the gradient for the second layer's weight "
        "is the output error, times the slope of the output sigmoid, times the first layer's output.",
        "holds",
        (_r("two_layer_sigmoid_grad", "result 1", "the gradient for the second layer's weight"),),
        "Derived by the chain rule and checked against finite differences of the loss.",
    ),
    Claim(
        "cce-general-label",
        "keras-post",
        "The gradient of cross-entropy through softmax is the predicted probability times the total of the "
        "labels, minus the label, which simplifies to prediction minus label.",
        "conditional",
        (
            _r("cce_softmax_grad", "result 1", "for any labels"),
            _r("cce_softmax_grad", "result 2", "for labels that sum to one"),
        ),
        "The simplification to prediction minus label needs labels that sum to 1 (one-hot or a distribution); "
        "with other labels the first form is the right one.",
    ),
    Claim(
        "sparse-equals-categorical",
        "keras-post",
        "Sparse categorical cross-entropy (integer labels) and categorical cross-entropy (one-hot labels) "
        "are the same loss with a different encoding of the label.",
        "holds",
        (
            _r("sparse_cce", "result 1", "the same value"),
            _r("sparse_cce", "result 3", "the same gradient"),
        ),
        "They agree in value and in gradient when the one-hot vector has its 1 at the integer label.",
    ),
    Claim(
        "noise-models",
        "qa-thread",
        "MSE is the loss for a Gaussian target, binary cross-entropy for a Bernoulli one, "
        "categorical cross-entropy for a categorical (multinomial) one.",
        "holds",
        (
            _r("gaussian_nll_mse", "result 1", "Gaussian noise"),
            _r("bernoulli_nll_bce", "result 1", "Bernoulli labels"),
            _r("categorical_nll_cce", "result 1", "categorical labels"),
        ),
        "Each is the negative log-likelihood of its noise model, up to terms that do not depend on the prediction.",
    ),
    Claim(
        "mse-equals-ce",
        "qa-thread",
        "Cross-entropy and MSE are the same thing.",
        "misleading",
        (
            _r("gaussian_nll_mse", "result 1", "the squared error, from Gaussian noise"),
            _r("bernoulli_nll_bce", "result 1", "binary cross-entropy, from Bernoulli labels"),
        ),
        "Both are negative log-likelihoods, which is what one answer means; but under different noise models, "
        "and they are different functions with different gradients.",
    ),
)
