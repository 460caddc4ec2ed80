"""Teaching for the Jacobians, Hessians, curvature and limits of the gradients, and the robust and focal losses.

>>> all(entry.question for entry in ENTRIES.values())
True
>>> ENTRIES["sigmoid_losses_curvature"].figure
'curvature-sigmoid'
"""

from __future__ import annotations

from derive.site.content.teaching_types import (
    D2L_CONVEXITY,
    D2L_SOFTMAX,
    HUBER_1964,
    LIN_FOCAL,
    NIELSEN_3,
    PYTORCH_HUBER,
    PYTORCH_MULTI_MARGIN,
    PYTORCH_SMOOTH_L1,
    TORCHVISION_FOCAL,
    Teaching,
)

ENTRIES: dict[str, Teaching] = {
    "softmax_jacobian": Teaching(
        question="How does each softmax probability move when one logit moves? Every gradient of a loss taken "
        "through a softmax output is this matrix of slopes applied to the loss's slopes in the probabilities, "
        "so it is the one piece of calculus that all of them share.",
        meaning="Raising a logit raises its own class's probability, at a rate of that probability times one minus "
        "it, and lowers every other class's probability, at a rate of the product of the two probabilities. The "
        "gains and losses cancel exactly: summed over the classes, the change is zero, because the probabilities "
        "always sum to one. The number of classes stays a symbol throughout, so the result holds for any of them.",
        mistake="Treating softmax like a sigmoid applied to each logit separately keeps only the diagonal of the "
        "Jacobian. The entries off the diagonal are not zero: each probability depends on every logit, and a "
        "gradient computed without those entries is wrong whenever the loss looks at more than one probability.",
        figure="interactive-jacobian",
        caption="The softmax Jacobian for four classes as a heat map: each cell is the slope of one class's "
        "probability (row) in one logit (column). The diagonal is positive, every other cell negative, and each "
        "column sums to zero.",
        references=(D2L_SOFTMAX,),
    ),
    "cce_softmax_hessian": Teaching(
        question="Is cross-entropy through softmax convex in the logits? Convexity means a gradient method cannot "
        "be trapped in a dip that is not the lowest point, and the second derivatives, the Hessian, decide it.",
        meaning="Differentiating the gradient once more leaves nothing but the softmax Jacobian, scaled by the "
        "total of the labels; when the labels sum to one the Hessian does not depend on them at all. Its quadratic "
        "form in any direction is a variance: that of the direction's entries when each class is drawn with its "
        "predicted probability. A variance is never negative, so the Hessian is positive semidefinite and the "
        "loss is convex in the logits.",
        mistake="The Hessian is semidefinite, not definite: a direction whose entries are all equal has zero "
        "variance. Shifting every logit by the same amount leaves the softmax, and so the loss, unchanged, so the "
        "best logits are never unique; only their differences are.",
        figure="interactive-jacobian",
        caption="The same matrix read as curvature: the Hessian of cross-entropy through softmax, for labels that "
        "sum to one, is the softmax Jacobian shown here. Its rows sum to zero, the flat direction in which every "
        "logit moves together.",
        references=(D2L_SOFTMAX, D2L_CONVEXITY),
    ),
    "sigmoid_losses_curvature": Teaching(
        question="Seen as functions of the logit, are cross-entropy and the squared error through a sigmoid "
        "convex? The answer tells whether gradient descent on one output unit can meet a region where the loss "
        "bends the wrong way.",
        meaning="Cross-entropy's second derivative in the logit is the sigmoid's own slope, positive for every "
        "logit and every label, so the loss is convex in the logit. The squared error's second derivative changes "
        "sign. For a label of one it is zero at a prediction of one third, a logit of minus the logarithm of two: "
        "to the left, where the prediction is confidently wrong, the loss bends downwards and flattens out; to the "
        "right it bends upwards. For a label of zero the mirror point is a prediction of two thirds.",
        mistake="A loss that is convex in the prediction need not be convex in the logit. The squared error is a "
        "parabola in the prediction, yet the sigmoid in between bends it; cross-entropy stays convex because its "
        "gradient in the logit is the prediction minus the label, which only grows with the logit.",
        figure="curvature-sigmoid",
        caption="Loss (top) and its second derivative (bottom) against the logit, label 1. Cross-entropy's "
        "curvature is positive everywhere; the squared error's is negative left of the marked point, a logit of "
        "minus the logarithm of two, where the loss flattens out.",
        references=(NIELSEN_3, D2L_CONVEXITY),
    ),
    "saturation_limits": Teaching(
        question="What happens to the gradient when the output is confidently wrong? This is the case learning "
        "most needs to fix, and the two losses answer it in opposite ways.",
        meaning="With a label of one and the logit going to minus infinity, the squared error's gradient in the "
        "logit goes to zero, because it carries the sigmoid's slope as a factor, while cross-entropy's goes to "
        "minus one: it pushes hardest where the squared error stops. At a logit of four the sigmoid's slope is "
        "already below one fiftieth, so a unit started there learns slowly under the squared error. The same holds "
        "for softmax: as the true class's logit goes to minus infinity with the others fixed, the squared error's "
        "gradient at that logit goes to zero and cross-entropy's goes to minus one.",
        mistake="A gradient near zero does not mean the loss is near its minimum. Here it vanishes where the "
        "squared error is close to its largest value: the unit is stuck on a plateau, not finished, and a larger "
        "learning rate treats the symptom while the choice of loss removes the cause.",
        figure="gradient-sigmoid",
        caption="The size of the gradient in the logit under each loss against the predicted probability, label 1. "
        "Towards the left, where the prediction is confidently wrong, the squared error's gradient vanishes and "
        "cross-entropy's approaches one.",
        references=(NIELSEN_3,),
    ),
    "mse_prefers_uniform": Teaching(
        question="With several classes and a one-hot label, what does the squared error reward besides a high "
        "probability for the true class? It also has a view on the classes the label says nothing about.",
        meaning="Hold the true class's probability fixed. The squared error is smallest when the remaining "
        "probability is shared evenly among the other classes, and what it adds beyond that minimum is the spread "
        "of the other probabilities around their mean. Cross-entropy with a one-hot label depends on the true "
        "class's probability alone: its slope in every other probability is zero.",
        mistake="Two predictions that give the true class the same probability are equally good by the label, and "
        "cross-entropy scores them the same. The squared error does not: it prefers the one that spreads the "
        "wrong probability evenly, so it pulls a model away from ranking the wrong classes by how plausible they "
        "are.",
        references=(D2L_SOFTMAX,),
    ),
    "focal_sigmoid_grad": Teaching(
        question="How does the focal loss change the gradient of binary cross-entropy? It weights each example by "
        "a power of the probability it still has to learn, so that the many easy examples of a detector do not "
        "drown out the few hard ones.",
        meaning="For a positive label every term of the gradient carries the power of one minus the prediction: "
        "an example already predicted with confidence moves the logit far less than under cross-entropy, while a "
        "badly predicted one keeps most of its gradient. With the exponent set to zero the loss is binary "
        "cross-entropy and the gradient is the prediction minus the label again.",
        mistake="The gradient is not cross-entropy's gradient multiplied by the weight. The weight depends on the "
        "logit too, so differentiating it adds a term with the logarithm of the prediction, which the result "
        "keeps; dropping it gives a gradient of the wrong size for every exponent but zero.",
        references=(LIN_FOCAL, TORCHVISION_FOCAL),
    ),
    "huber_grad": Teaching(
        question="How can a regression loss keep the squared error's smooth behaviour near the target but stop "
        "outliers from dominating? The Huber loss is quadratic for small errors and linear for large ones; its "
        "gradient shows what that buys.",
        meaning="Within the threshold delta of the label the gradient is the error itself, as for half the "
        "squared error; beyond it the gradient is clipped to plus or minus delta, so an outlier pulls no harder "
        "than delta however far away it is. At both switching points the one-sided slopes agree, so the loss is "
        "differentiable everywhere, unlike the absolute error.",
        mistake="Delta is not a weight on the loss: it is the size of error at which the loss turns from quadratic "
        "to linear, in the units of the target, and the largest gradient any one example can have. A delta much "
        "larger than the typical error gives back half the squared error; a very small one approaches delta times the "
        "absolute error.",
        references=(HUBER_1964, PYTORCH_HUBER, PYTORCH_SMOOTH_L1),
    ),
    "hinge_grad": Teaching(
        question="What is the gradient of the hinge loss, the loss of support vector machines, when the score "
        "already has the right sign with a margin, and when it has not?",
        meaning="Once the margin, the label times the score, reaches one, the loss is zero and so is its gradient: "
        "well-classified examples stop contributing, unlike under cross-entropy, whose gradient never vanishes. "
        "Below a margin of one the gradient is minus the label, the same size however wrong the score is.",
        mistake="At a margin of exactly one the hinge has a corner: its one-sided slopes differ by the label, so "
        "there is no gradient there, only a subgradient, any value between the two slopes. The formula's value of "
        "zero at the corner is one such choice, not a derivative.",
        references=(PYTORCH_MULTI_MARGIN,),
    ),
}
