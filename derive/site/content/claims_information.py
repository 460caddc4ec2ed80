"""Claims of the source material about information, entropy, KL divergence and the losses' values."""

from __future__ import annotations

from derive.site.content.claim_types import Claim, relation, worked

INFORMATION_CLAIMS: tuple[Claim, ...] = (
    Claim(
        "self-information",
        "entropy-post",
        "The information carried by an event must be minus the logarithm of its probability: "
        "it has to add up over independent events and shrink as the event gets likelier.",
        "holds",
        (
            relation(
                "self_information", "result 4", "every such measure is a positive multiple of minus the logarithm"
            ),
            relation("self_information", "result 1", "in nats"),
        ),
        "Additivity over independent events plus monotonicity leave only minus the logarithm, up to a positive "
        "factor, which is the choice of the logarithm's base: nats or bits.",
    ),
    Claim(
        "self-information-values",
        "loss-post",
        "Outcomes with probabilities 0.7, 0.2 and 0.1 carry 0.36, 1.61 and 2.30 nats.",
        "holds",
        (worked("self_information_0.7"), worked("self_information_0.2"), worked("self_information_0.1")),
        "Rounded to two decimals these are the exact values.",
    ),
    Claim(
        "entropy-value",
        "loss-post",
        "The entropy of the distribution (0.7, 0.2, 0.1) is 0.804 nats.",
        "rounded",
        (worked("entropy_0.7_0.2_0.1"), worked("entropy_0.7_0.2_0.1_rounded")),
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
            relation("kl_divergence", "result 2", "KL divergence is cross-entropy minus entropy"),
            relation("kl_divergence", "result 5", "so both change by the same amount when the model changes"),
        ),
        "The entropy of the labels does not depend on the model, so the two objectives differ by a constant.",
    ),
    Claim(
        "bce-values",
        "loss-post",
        "With label 1, binary cross-entropy scores predictions 0.6 and 0.7 at 0.51 and 0.36.",
        "holds",
        (worked("bce_0.6_y1"), worked("bce_0.7_y1")),
        "Exact to the digits quoted.",
    ),
    Claim(
        "cce-values",
        "loss-post",
        "With the third class true, categorical cross-entropy scores (0.2, 0.5, 0.3) at 1.2 "
        "and (0.2, 0.2, 0.6) at 0.51.",
        "holds",
        (worked("cce_0.2_0.5_0.3_class3"), worked("cce_0.2_0.2_0.6_class3")),
        "Only the probability of the true class enters the loss.",
    ),
    Claim(
        "batch-cross-entropy-index",
        "loss-post",
        "Over a batch of examples, the categorical cross-entropy adds up, for every example and every class, the "
        "label times the logarithm of the example's prediction.",
        "wrong",
        (relation("categorical_nll_cce", "result 1", "per example: each class's label times the log of that class's"),),
        "The source's formula takes the logarithm of the prediction for the example alone, with no class index, "
        "so every class of an example would meet the same number. Each class needs its own predicted "
        "probability: the entry for example i and class j.",
    ),
    Claim(
        "kl-is-a-distance",
        "loss-post",
        "KL divergence is the distance between two distributions of one random variable, the information "
        "theory counterpart of the mean squared error.",
        "wrong",
        (
            relation("kl_divergence", "result 3", "it is never negative"),
            worked("kl_p_q"),
            worked("kl_q_p"),
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
        (relation("entropy", "result 1", "entropy weights each outcome's information by its probability"),),
        "Entropy is the expected information: each outcome's surprise weighted by its probability, not their "
        "plain total. For three outcomes of probabilities 0.7, 0.2 and 0.1 the plain total would be 4.27 nats; "
        "the entropy is 0.80.",
    ),
    Claim(
        "information-inversely-proportional",
        "entropy-post",
        "The information needed to confirm an event is inversely proportional to its probability.",
        "wrong",
        (
            relation("self_information", "result 1", "in nats"),
            worked("self_information_0.2"),
            worked("self_information_0.1"),
        ),
        "It decreases as the probability grows, but as minus its logarithm, not as its reciprocal: halving the "
        "probability from 0.2 to 0.1 adds 0.69 nats, where inverse proportion would double the information.",
    ),
)
