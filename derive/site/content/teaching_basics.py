"""Teaching for the pages of the core story: information, the likelihood of the Gaussian, and the gradients
of squared error and cross-entropy through sigmoid and softmax.

>>> ENTRIES["two_layer_sigmoid_grad"].figure
'gradient-sigmoid'
"""

from __future__ import annotations

from derive.site.content.teaching_types import (
    COVER_THOMAS,
    D2L_INFORMATION,
    D2L_SOFTMAX,
    NIELSEN_3,
    PYTORCH_BCE,
    PYTORCH_CE,
    TF_SIGMOID_CE,
    Teaching,
)

ENTRIES: dict[str, Teaching] = {
    "two_layer_sigmoid_grad": Teaching(
        question="How does the error at the output reach the weights of the hidden layer, and what does the choice "
        "of loss change on the way? This is backpropagation in its smallest form: two units, one weight and one "
        "bias each.",
        meaning="Every gradient is the output error times a product of local slopes, one per layer crossed. Name "
        "the output error once and each gradient is a short product: the output weight's gradient is the error "
        "times the hidden activation, the hidden weight's multiplies it further by the output weight, the hidden "
        "sigmoid's slope and the input. Under cross-entropy the output error is the plain prediction error; under "
        "the squared error it also carries the output sigmoid's slope, so every gradient of the network shrinks "
        "when the output saturates.",
        mistake="Writing the chain as one derivative of the whole nested loss hides which factor comes from which "
        "layer; writing the local slopes separately shows that only the output error depends on the loss.",
        figure="gradient-sigmoid",
        caption="The size of the output error under each loss, label 1. The squared error's output error, and with "
        "it every gradient of the network, vanishes as the output saturates on the wrong side.",
        references=(NIELSEN_3,),
    ),
    "mse_softmax_grad": Teaching(
        question="What is the gradient of the squared error when the outputs are a softmax, and does the "
        "shortcut through the diagonal of the softmax Jacobian give it?",
        meaning="Each output depends on every logit, so the gradient at one logit collects a term from every "
        "class. At the true class's logit, with a one-hot label, every term carries that class's probability as "
        "a factor: the gradient dies away as the prediction of the true class goes to zero, the saturation that "
        "cross-entropy does not have.",
        mistake="Keeping only the direct path through the true class's own output gives a formula that is short "
        "and wrong: it misses the paths through the other outputs, which add a term of the same sign.",
        figure="gradient-softmax",
        caption="Size of the gradient at the true class's logit against the probability predicted for it, 3 and "
        "10 classes, the rest spread evenly. The squared error's gradient vanishes on the left; cross-entropy's "
        "is the prediction minus 1 whatever the number of classes, so its two lines coincide.",
        references=(D2L_SOFTMAX, PYTORCH_CE),
    ),
    "gaussian_nll_mse": Teaching(
        question="Why is the squared error the loss for regression? Because it is what maximum likelihood gives "
        "when the noise around the prediction is Gaussian with a fixed spread.",
        meaning="The negative log-likelihood is the sum of squared errors scaled by the noise's precision, plus "
        "terms that do not depend on the predictions. So the predictions that maximise the likelihood are those "
        "that minimise the squared error, and the best spread is the root of the mean squared error.",
        mistake="The assumption is about the noise given the inputs, not about the targets: the targets taken "
        "together can have any distribution. And dropping the constant factor keeps the minimiser but rescales "
        "the gradient, so it changes the effective learning rate.",
        references=(D2L_SOFTMAX,),
    ),
    "bce_sigmoid_grad": Teaching(
        question="What gradient does binary cross-entropy send back through a sigmoid output?",
        meaning="The prediction minus the label: the sigmoid's slope cancels against the logarithm's, so the push "
        "is proportional to how wrong the prediction is, however saturated the sigmoid.",
        mistake="Computing the loss from the sigmoid's output in floating point loses digits at large logits; "
        "the frameworks compute it from the logit in a stable form.",
        figure="gradient-sigmoid",
        caption="Size of the gradient in the logit, label 1: cross-entropy's is largest where the prediction is "
        "most wrong.",
        references=(NIELSEN_3, PYTORCH_BCE, TF_SIGMOID_CE),
    ),
    "mse_sigmoid_grad": Teaching(
        question="What gradient does the squared error send back through a sigmoid output, and why does it learn "
        "slowly?",
        meaning="The prediction error times the sigmoid's slope. The slope is at most a quarter and nearly zero "
        "for a saturated unit, so a confidently wrong unit barely learns.",
        figure="gradient-sigmoid",
        caption="Size of the gradient in the logit, label 1: the squared error's vanishes where the prediction is "
        "most wrong.",
        references=(NIELSEN_3,),
    ),
    "cce_softmax_grad": Teaching(
        question="What gradient does categorical cross-entropy send back through a softmax?",
        meaning="The prediction minus the label, entry by entry, once the labels sum to one: the same form as "
        "for the sigmoid, and for every exponential family.",
        mistake="For labels that do not sum to one (counts, or several classes marked 1) the simpler form is "
        "wrong; the general form keeps the total of the labels.",
        figure="gradient-softmax",
        caption="Size of the gradient at the true class's logit: cross-entropy's is the prediction minus 1, the "
        "same for 3 and 10 classes.",
        references=(D2L_SOFTMAX, PYTORCH_CE),
    ),
    "sigmoid_derivative": Teaching(
        question="How steep is the sigmoid, and where?",
        meaning="Its slope is the output times one minus the output: a quarter at a zero logit, and close to zero "
        "once the logit is a few units away from zero.",
        figure="sigmoid",
        caption="The sigmoid and its slope against the logit.",
        references=(NIELSEN_3,),
    ),
    "kl_divergence": Teaching(
        question="How far is a model's distribution from the data's, in the currency of information?",
        meaning="The divergence is the cross-entropy minus the entropy: the extra information spent by coding "
        "with the model's distribution. It is never negative, and zero only for equal distributions.",
        mistake="It is not a distance: swapping the two distributions changes its value (the claims audit has a "
        "worked pair).",
        references=(COVER_THOMAS, D2L_INFORMATION),
    ),
    "self_information": Teaching(
        question="Why is the information in an event minus the logarithm of its probability?",
        meaning="Two requirements fix it: information adds up over independent events, and a likelier event "
        "tells less. Only a positive multiple of minus the logarithm meets both; the multiple is the unit.",
        mistake="The derivation assumes the information is a differentiable function of the probability. Without "
        "some regularity of this kind, additivity alone does not force the logarithm.",
        references=(COVER_THOMAS, D2L_INFORMATION),
    ),
    "entropy": Teaching(
        question="How uncertain is a distribution, on average, and which distribution is the most uncertain?",
        meaning="The entropy is the expected information, each outcome's surprise weighted by its probability. It "
        "is largest, the logarithm of the number of outcomes, for the uniform distribution.",
        mistake="It is the expectation of the information, not its total over the outcomes.",
        references=(COVER_THOMAS, D2L_INFORMATION),
    ),
    "cross_entropy": Teaching(
        question="What does it cost to code outcomes of one distribution with another's probabilities?",
        meaning="The expected surprise under the second distribution; for a one-hot label it is the surprise at "
        "the true class alone.",
        references=(COVER_THOMAS, D2L_INFORMATION),
    ),
}
