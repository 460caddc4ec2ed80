"""Claims of the source material about gradients through sigmoid and softmax, and about likelihood."""

from __future__ import annotations

from derive.site.content.claim_types import Claim, relation, worked

GRADIENT_CLAIMS: tuple[Claim, ...] = (
    Claim(
        "mse-prefers-uniform",
        "shinelee",
        "For a one-hot label, MSE is smallest when the wrong classes share the remaining probability "
        "equally, so it prefers (0.8, 0.1, 0.1) to (0.8, 0.15, 0.05); cross-entropy cannot tell them apart.",
        "holds",
        (
            relation(
                "mse_prefers_uniform", "result 1", "the squared error never falls below its value at the even split"
            ),
            relation(
                "mse_prefers_uniform", "result 3", "its excess over that value is the spread of the wrong classes"
            ),
            relation("mse_prefers_uniform", "result 4", "cross-entropy reads the true class alone"),
            worked("mse_0.8_0.1_0.1"),
            worked("mse_0.8_0.15_0.05"),
            worked("ce_0.8_0.1_0.1"),
            worked("ce_0.8_0.15_0.05"),
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
        (relation("softmax_jacobian", "result 1", "the whole Jacobian: the diagonal, and the entries off it"),),
        "The diagonal term is right, but each output also depends on every other logit, with a negative "
        "derivative off the diagonal. A gradient that uses only the diagonal misses those paths.",
    ),
    Claim(
        "ce-softmax-gradient",
        "shinelee",
        "The gradient of cross-entropy through softmax with respect to the true class's logit is the "
        "predicted probability of that class minus one.",
        "holds",
        (relation("cce_softmax_grad", "result 2", "prediction minus label, for labels that sum to one"),),
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
            relation("mse_softmax_grad", "result 2", "the whole gradient at the true class's logit, one-hot label"),
            relation(
                "mse_softmax_grad",
                "result 3",
                "the whole gradient minus the source's direct-path formula: the part the source leaves out",
            ),
            relation("mse_softmax_grad", "result 4", "and what it leaves out is never zero"),
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
            relation(
                "saturation_limits", "result 5", "the squared error's gradient, true class's logit to minus infinity"
            ),
            relation("saturation_limits", "result 6", "the cross-entropy gradient, in the same limit"),
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
            relation("bce_sigmoid_grad", "result 1", "the cross-entropy gradient: the prediction error alone"),
            relation("mse_sigmoid_grad", "result 2", "the squared error's gradient: the same error times the slope"),
            relation("sigmoid_derivative", "result 4", "the slope vanishes for large positive logits"),
            relation("sigmoid_derivative", "result 5", "and for large negative ones"),
        ),
        "The squared error's gradient is the cross-entropy gradient multiplied by the sigmoid's slope.",
    ),
    Claim(
        "two-layer",
        "keras-post",
        "For two sigmoid layers trained on half the squared error, the gradient for the second layer's weight "
        "is the output error, times the slope of the output sigmoid, times the first layer's output.",
        "holds",
        (relation("two_layer_sigmoid_grad", "result 1", "the gradient for the second layer's weight"),),
        "Derived by the chain rule and checked against finite differences of the loss.",
    ),
    Claim(
        "cce-general-label",
        "keras-post",
        "The gradient of cross-entropy through softmax is the predicted probability times the total of the "
        "labels, minus the label, which simplifies to prediction minus label.",
        "imprecise",
        (
            relation("cce_softmax_grad", "result 1", "for any labels"),
            relation("cce_softmax_grad", "result 2", "for labels that sum to one"),
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
            relation("sparse_cce", "result 1", "the same value"),
            relation("sparse_cce", "result 3", "the same gradient"),
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
            relation("gaussian_nll_mse", "result 1", "Gaussian noise"),
            relation("bernoulli_nll_bce", "result 1", "Bernoulli labels"),
            relation("categorical_nll_cce", "result 1", "categorical labels"),
        ),
        "Each is the negative log-likelihood of its noise model, up to terms that do not depend on the prediction.",
    ),
    Claim(
        "softmax-derivative-typos",
        "keras-post",
        "The derivative of a softmax output with respect to its own logit is that output times one minus it.",
        "imprecise",
        (relation("softmax_jacobian", "result 1", "the whole Jacobian, its diagonal being the source's result"),),
        "The result is right, but the working that leads to it is garbled: the exponent of the numerator is "
        "written with the index in place of the logit, the sum in the denominator multiplies the two indices, "
        "and a later sum runs over j equal to i where it must run over every j other than i.",
    ),
    Claim(
        "mse-cannot-output-probabilities",
        "keras-post",
        "The squared error cannot produce its output in the form of probabilities.",
        "wrong",
        (
            relation(
                "mse_prefers_uniform", "result 2", "the squared error of softmax probabilities against a one-hot label"
            ),
        ),
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
        (relation("gaussian_nll_mse", "result 2", "the negative log-likelihood of m examples, m times their MSE"),),
        "The average over the empirical distribution divides by the number of examples, the m of the "
        "likelihood's product, not by the number of parameters of the model.",
    ),
    Claim(
        "normal-targets",
        "qa-thread",
        "Linear regression assumes the target variable is normally distributed.",
        "imprecise",
        (
            relation(
                "gaussian_nll_mse", "result 1", "each factor is a normal density of the target around the prediction"
            ),
        ),
        "The assumption that gives the squared error is that the noise is normal given the inputs: each target "
        "is normal around its own prediction. The targets taken together can have any distribution.",
    ),
    Claim(
        "noise-models-as-priors",
        "qa-thread",
        "Assuming a Gaussian or a Bernoulli prior leads to the squared error or to the negative log-likelihood.",
        "imprecise",
        (
            relation("gaussian_nll_mse", "result 1", "the Gaussian likelihood of the targets"),
            relation("bernoulli_nll_bce", "result 1", "the Bernoulli likelihood of the labels"),
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
            relation("scaled_loss_descent", "result 1", "rate eta on the scaled loss is rate beta eta on the loss"),
            relation("scaled_loss_descent", "result 2", "a positive factor keeps the order of the loss's values"),
            relation(
                "scaled_loss_descent", "result 3", "for the squared error: the precision times prediction minus target"
            ),
        ),
        "The minimiser stays where it is, but the gradient is multiplied by that constant, the precision of "
        "the noise model, so the same learning rate takes steps of a different size: gradient descent with "
        "rate eta on the scaled loss is gradient descent with rate beta times eta on the loss. Dropping it is "
        "harmless only if the learning rate absorbs it.",
    ),
    Claim(
        "mse-equals-ce",
        "qa-thread",
        "Cross-entropy and MSE are the same thing.",
        "wrong",
        (
            relation("gaussian_nll_mse", "result 1", "the squared error, from Gaussian noise"),
            relation("bernoulli_nll_bce", "result 1", "binary cross-entropy, from Bernoulli labels"),
        ),
        "Both are negative log-likelihoods, which is what one answer means; but under different noise models, "
        "and they are different functions with different gradients.",
    ),
)
