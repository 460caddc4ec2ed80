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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Verdicts from the most to the least severe; the page lists the claims in this order.
VERDICTS = {
    "wrong": "wrong",
    "incomplete": "incomplete",
    "rounded": "holds, but the number is rounded",
    "imprecise": "imprecise: true in substance, wrong in a word or a condition left unsaid",
    "holds": "holds",
}
SEVERITY = tuple(VERDICTS)


@dataclass(frozen=True)
class Source:
    """A post or thread of the source material: its own title, our gloss of it, and its link if it gives one."""

    title: str
    gloss: str
    link: str = ""


SOURCES = {
    "shinelee": Source(
        "直观理解为什么分类问题用交叉熵损失而不用均方误差损失?",
        "why classification uses cross-entropy rather than the squared error, intuitively",
        "https://blog.shinelee.me",
    ),
    "entropy-post": Source(
        "(untitled post on cross-entropy)",
        "cross-entropy from information entropy, and why classifiers use it",
    ),
    "loss-post": Source("聊一聊损失函数", "a chat about loss functions, with worked numbers"),
    "keras-post": Source("softmax多分类问题中的几个问题", "a few questions about multi-class softmax in TensorFlow 2"),
    "qa-thread": Source(
        "在收敛性方面比较 MSE 损失和交叉熵损失",
        "comparing MSE and cross-entropy in terms of convergence (a translated Q&A thread)",
    ),
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
    # The source's own formula, rebuilt as a SymPy object so the printer sets it like every other formula
    # (typos included); it is shown as the source's, never as a checked result.
    source_formula: Callable[[], Any] | None = field(default=None, compare=False)

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
        "imprecise",
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
        "batch-cross-entropy-index",
        "loss-post",
        "Over a batch of examples, the categorical cross-entropy adds up, for every example and every class, the "
        "label times the logarithm of the example's prediction.",
        "wrong",
        (_r("categorical_nll_cce", "result 1", "per example: each class's label times the log of that class's"),),
        "The source's formula takes the logarithm of the prediction for the example alone, with no class index, "
        "so every class of an example would meet the same number. Each class needs its own predicted "
        "probability: the entry for example i and class j.",
        source_formula=lambda: _batch_cross_entropy_as_printed(),
    ),
    Claim(
        "kl-is-a-distance",
        "loss-post",
        "KL divergence is the distance between two distributions of one random variable, the information "
        "theory counterpart of the mean squared error.",
        "wrong",
        (
            _r("kl_divergence", "result 3", "it is never negative"),
            _x("kl_p_q"),
            _x("kl_q_p"),
        ),
        "A distance is symmetric and the squared error is too; KL divergence is not. The two worked examples "
        "swap the distributions and get different values. It is also not the expected squared difference of "
        "anything: it is the expected log-ratio of the two probabilities.",
    ),
    Claim(
        "entropy-is-a-sum",
        "loss-post",
        "Entropy is the total of the information in a system.",
        "imprecise",
        (_r("entropy", "result 1", "entropy weights each outcome's information by its probability"),),
        "Entropy is the expected information: each outcome's surprise weighted by its probability, not their "
        "plain total. For three outcomes of probabilities 0.7, 0.2 and 0.1 the plain total would be 4.27 nats; "
        "the entropy is 0.80.",
    ),
    Claim(
        "information-inversely-proportional",
        "entropy-post",
        "The information needed to confirm an event is inversely proportional to its probability.",
        "wrong",
        (_r("self_information", "result 1", "in nats"), _x("self_information_0.2"), _x("self_information_0.1")),
        "It decreases as the probability grows, but as minus its logarithm, not as its reciprocal: halving the "
        "probability from 0.2 to 0.1 adds 0.69 nats, where inverse proportion would double the information.",
    ),
    Claim(
        "softmax-derivative-typos",
        "keras-post",
        "The derivative of a softmax output with respect to its own logit is that output times one minus it.",
        "imprecise",
        (_r("softmax_jacobian", "result 1", "the whole Jacobian, its diagonal being the source's result"),),
        "The result is right, but the working that leads to it is garbled: the exponent of the numerator is "
        "written with the index in place of the logit, the sum in the denominator multiplies the two indices, "
        "and a later sum runs over j equal to i where it must run over every j other than i.",
        source_formula=lambda: _softmax_quotient_as_printed(),
    ),
    Claim(
        "mse-cannot-output-probabilities",
        "keras-post",
        "The squared error cannot produce its output in the form of probabilities.",
        "wrong",
        (_r("mse_prefers_uniform", "result 2", "the squared error of softmax probabilities against a one-hot label"),),
        "A loss is not an output layer: the probabilities come from the softmax, whatever loss is put on top. "
        "The squared error of softmax outputs is a loss of probabilities; the reasons to prefer cross-entropy "
        "are the ones in its gradient.",
    ),
    Claim(
        "scale-by-free-parameters",
        "qa-thread",
        "Taking the logarithm of the likelihood and scaling it by the number of free parameters gives the "
        "expectation under the empirical distribution of the training data.",
        "wrong",
        (_r("gaussian_nll_mse", "result 2", "the negative log-likelihood of m examples, m times their MSE"),),
        "The average over the empirical distribution divides by the number of examples, the m of the "
        "likelihood's product, not by the number of parameters of the model.",
    ),
    Claim(
        "normal-targets",
        "qa-thread",
        "Linear regression assumes the target variable is normally distributed.",
        "imprecise",
        (_r("gaussian_nll_mse", "result 1", "each factor is a normal density of the target around the prediction"),),
        "The assumption that gives the squared error is that the noise is normal given the inputs: each target "
        "is normal around its own prediction. The targets taken together can have any distribution.",
    ),
    Claim(
        "noise-models-as-priors",
        "qa-thread",
        "Assuming a Gaussian or a Bernoulli prior leads to the squared error or to the negative log-likelihood.",
        "imprecise",
        (
            _r("gaussian_nll_mse", "result 1", "the Gaussian likelihood of the targets"),
            _r("bernoulli_nll_bce", "result 1", "the Bernoulli likelihood of the labels"),
        ),
        "Both are likelihoods: models of the targets' noise given the prediction. A prior is a distribution over "
        "the model's parameters, and neither loss involves one.",
    ),
    Claim(
        "dropping-beta",
        "qa-thread",
        "Leaving out the constant factor in front of the squared error does not affect convergence.",
        "incomplete",
        (
            _r("gaussian_nll_mse", "result 3", "the gradient in a prediction: the MSE's gradient times a constant"),
            _r("gaussian_nll_mse", "result 4", "the spread that minimises the loss, the same whatever the factor"),
        ),
        "The minimiser stays where it is, but the gradient is multiplied by that constant, the precision of "
        "the noise model, so the same learning rate takes steps of a different size. Dropping it is harmless "
        "only if the learning rate absorbs it.",
    ),
    Claim(
        "mse-equals-ce",
        "qa-thread",
        "Cross-entropy and MSE are the same thing.",
        "wrong",
        (
            _r("gaussian_nll_mse", "result 1", "the squared error, from Gaussian noise"),
            _r("bernoulli_nll_bce", "result 1", "binary cross-entropy, from Bernoulli labels"),
        ),
        "Both are negative log-likelihoods, which is what one answer means; but under different noise models, "
        "and they are different functions with different gradients.",
    ),
)


def by_severity() -> list[Claim]:
    """The claims, most severe verdict first (wrong, incomplete, rounded, imprecise, holds); stable within one.

    >>> [c.verdict for c in by_severity()][:1]
    ['wrong']
    """
    return sorted(CLAIMS, key=lambda c: SEVERITY.index(c.verdict))


def source_formulas() -> dict[str, str]:
    """The source's own formula of each claim that has one, as LaTeX from the project's printer."""
    from derive.site.printed import tex

    return {c.id: tex(c.source_formula()) for c in CLAIMS if c.source_formula is not None}


def _batch_cross_entropy_as_printed() -> Any:
    """The batch cross-entropy as the source prints it: the log of a_i, with no class index."""
    import sympy as sp

    i, j = sp.symbols("i j", integer=True, positive=True)
    m, n = sp.symbols("m n", integer=True, positive=True)
    y, a = sp.IndexedBase("y"), sp.IndexedBase("a")
    cost = sp.Symbol("J")
    return sp.Eq(cost, -sp.Sum(sp.Sum(y[i, j] * sp.log(a[i]), (j, 1, n)), (i, 1, m)), evaluate=False)


def _softmax_quotient_as_printed() -> Any:
    """The source's softmax output in its derivative: exponent e^{i_i}, and a sum of e^{ik} over k."""
    import sympy as sp

    i, k, size = sp.symbols("i k K", integer=True, positive=True)
    index, a = sp.IndexedBase("i"), sp.IndexedBase("a")
    return sp.Eq(a[i], sp.exp(index[i]) / sp.Sum(sp.exp(i * k), (k, 1, size)), evaluate=False)
