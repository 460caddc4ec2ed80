"""Teaching for the maximum-likelihood derivations beyond the Gaussian (Bernoulli, categorical, Laplace, Poisson,
the exponential family), sparse labels, label smoothing and the log-sum-exp shift.

>>> all(entry.question for entry in ENTRIES.values())
True
>>> ENTRIES["bernoulli_nll_bce"].figure
'losses'
"""

from __future__ import annotations

from derive.site.content.teaching_types import (
    BISHOP_PRML,
    BLANCHARD_LSE,
    COVER_THOMAS,
    D2L_MLE,
    D2L_SOFTMAX,
    KERAS_SPARSE_CCE,
    MULLER_2019,
    MURPHY_MLAPP,
    NIELSEN_3,
    PYTORCH_BCE,
    PYTORCH_BCE_LOSS,
    PYTORCH_CE,
    PYTORCH_CE_LOSS,
    PYTORCH_GAUSSIAN,
    PYTORCH_L1,
    PYTORCH_LOGSUMEXP,
    PYTORCH_NLL,
    PYTORCH_POISSON,
    SZEGEDY_2016,
    Teaching,
)

ENTRIES: dict[str, Teaching] = {
    "bernoulli_nll_bce": Teaching(
        question="Why is binary cross-entropy the loss for a yes-or-no label? Because it is what maximum likelihood "
        "gives when the model reads its output as the probability that the label is 1.",
        meaning="Minimising binary cross-entropy and maximising the likelihood of the labels are the same task: "
        "the loss of a sample is minus the logarithm of the probability the model gave to the label that "
        "occurred, so a confident wrong answer costs without bound and a confident right one costs almost "
        "nothing. Over independent samples the logarithm turns the product of probabilities into a sum, which is "
        "why the loss of a batch is a sum (or, rescaled, a mean) of per-sample losses. With a soft label between "
        "0 and 1 the same expression is the cross-entropy between two distributions over two outcomes, the "
        "label's and the prediction's.",
        mistake="The label and the prediction play different parts: the label weights the logarithms, the "
        "prediction sits inside them. Swapping them takes the logarithm of a hard label, which is minus "
        "infinity at 0, and gives another function; the frameworks' argument order (the prediction first in "
        "PyTorch, the label first in Keras) is worth checking for this reason.",
        figure="losses",
        caption="Binary cross-entropy and squared error against the prediction, for target 0 (left) and target 1 "
        "(right). Cross-entropy, the negative log-likelihood, grows without bound as the prediction approaches "
        "the wrong end; the squared error, halved as in the legend, never exceeds one half.",
        references=(NIELSEN_3, D2L_MLE, PYTORCH_BCE_LOSS, PYTORCH_BCE),
    ),
    "categorical_nll_cce": Teaching(
        question="Why is cross-entropy the loss for choosing one of several classes? Because it is the negative "
        "log-likelihood of a categorical distribution whose class probabilities are the model's outputs.",
        meaning="With a one-hot label the product over classes picks out a single factor, so the loss of a sample "
        "is the surprise at the probability the model gave to the true class; the other classes enter only "
        "through the normalisation that made the probabilities sum to one. For counts of several outcomes drawn "
        "from a multinomial distribution the likelihood gains a coefficient that counts the orderings, and its "
        "logarithm does not depend on the predictions: training on the cross-entropy of the counts finds the "
        "same predictions, with the same gradient, as maximising the full likelihood.",
        mistake="The cross-entropy of counts is not their negative log-likelihood: the two differ by the "
        "logarithm of the multinomial coefficient. That term changes nothing for training, but a value reported "
        "as a log-likelihood, or compared with one computed elsewhere, must include it.",
        references=(D2L_SOFTMAX, D2L_MLE, PYTORCH_NLL, COVER_THOMAS),
    ),
    "laplace_nll_mae": Teaching(
        question="What loss does maximum likelihood give when the noise has heavier tails than a Gaussian, and "
        "why is that loss called robust?",
        meaning="Maximum likelihood under Laplace noise and the smallest mean absolute error are the same task, as "
        "Gaussian noise and the smallest squared error are. The two differ in the gradient: the squared error's "
        "grows with the error, so one far-off sample can dominate a batch, while the absolute error's has the "
        "same size for every sample, which is what makes the loss robust to outliers. The price is that the "
        "gradient does not shrink near the answer either, so gradient descent with a fixed step keeps stepping "
        "across it unless the step size decreases.",
        mistake="The absolute error has no derivative where the prediction equals the target. Any slope between "
        "minus and plus one over the scale is a subgradient there, and a framework has to pick one (PyTorch "
        "takes zero, the sign of zero); the formula on this page holds only away from that point.",
        references=(D2L_MLE, PYTORCH_L1, PYTORCH_GAUSSIAN),
    ),
    "poisson_nll_grad": Teaching(
        question="What is the loss for predicting a count (events in an interval, visits, photons), and what "
        "gradient does it give?",
        meaning="The log link lets the model output any real number and still predict a positive rate. The "
        "gradient in that output is the predicted rate minus the observed count: zero exactly when the two agree, "
        "and growing with the error, with no activation's slope to shrink it. It has the same form as the "
        "gradient of cross-entropy through softmax and of the squared error through the identity. The logarithm "
        "of the count's factorial is part of the likelihood but not of the gradient.",
        mistake="PyTorch's Poisson loss expects the logarithm of the rate by default, not the rate; passing the "
        "rate itself fits the wrong model. It also leaves out the factorial term unless asked for the full loss, "
        "and even then adds Stirling's approximation of it; either choice changes the reported value, never the "
        "gradient.",
        references=(PYTORCH_POISSON, MURPHY_MLAPP),
    ),
    "exponential_family_grad": Teaching(
        question="Why do the gradients of so many losses come out as prediction minus target? Because the "
        "Gaussian, Bernoulli, categorical and Poisson models are all members of one family, and the result holds "
        "for the whole family at once.",
        meaning="In the exponential family the log-normaliser, which makes the probabilities sum to one, has a "
        "slope equal to the model's expected value of the statistic. The gradient of the negative "
        "log-likelihood in the natural parameter is therefore what the model expects minus what was observed. "
        "Each familiar loss comes with the link that maps the natural parameter to the prediction: the identity "
        "for the squared error, the sigmoid for binary cross-entropy, softmax for categorical cross-entropy and "
        "the exponential for the Poisson loss. Used in these pairs, each loss sends back prediction minus target "
        "(divided by the variance, in the Gaussian case).",
        mistake="Mixing a loss with another family's link breaks the pattern. The squared error through a "
        "sigmoid is such a mix: its gradient keeps the sigmoid's slope as a factor, and a saturated unit learns "
        "slowly.",
        figure="gradient-sigmoid",
        caption="Size of the gradient in the logit, label 1. The matched pair, binary cross-entropy with the "
        "sigmoid, gives prediction minus label; the squared error through the sigmoid is not a matched pair, "
        "and its gradient vanishes where the prediction is most wrong.",
        references=(BISHOP_PRML, MURPHY_MLAPP),
    ),
    "sparse_cce": Teaching(
        question="When the label is stored as the index of the true class rather than as a one-hot vector, is "
        "the loss still cross-entropy, and is its gradient the same?",
        meaning="Yes to both. Putting a one-hot label into cross-entropy leaves only the term of the true class, "
        "so the sparse loss is the surprise at the true class's probability, read directly instead of by "
        "multiplying every other class's logarithm by zero. As one function of the logits it has the same "
        "gradient: each class's probability, less one at the true class. The sparse form saves memory and work "
        "when there are many classes, and nothing else changes.",
        mistake="On this page, as in most mathematics, classes are numbered from 1 to the number of classes; "
        "Keras and PyTorch count from 0. The sparse label of the one-hot vector (0, 0, 1) is 2 there, not 3, and "
        "a label equal to the number of classes is out of range.",
        references=(KERAS_SPARSE_CCE, PYTORCH_CE_LOSS, PYTORCH_NLL, D2L_SOFTMAX),
    ),
    "label_smoothing_grad": Teaching(
        question="What does label smoothing change in the gradient of cross-entropy, and why does it keep a "
        "network from becoming overconfident?",
        meaning="The gradient keeps its familiar form, prediction minus label, with the smoothed label in place "
        "of the original: the label keeps most of its weight and a small share is spread evenly over all the "
        "classes. With a one-hot label the gradient at the true class's logit vanishes when that class's "
        "probability reaches its smoothed label, short of one. Plain cross-entropy keeps pushing towards a "
        "probability of exactly one, which only infinitely large logits reach; with smoothing the minimising "
        "logits are finite, and a prediction more confident than the smoothed label is pushed back.",
        mistake="The smoothed label of the true class is not one minus the smoothing share: the spread share "
        "goes to every class, the true one included, so the true class receives one minus the share plus the "
        "share divided by the number of classes. This is the mixture PyTorch's and Keras's label smoothing "
        "options use.",
        figure="label-smoothing",
        caption="The gradient at the true class's logit against that class's probability, 10 classes, one-hot "
        "label. Without smoothing it is negative all the way to a probability of one, so it always pushes the "
        "logit up; with a smoothing share of 0.1 or 0.2 it crosses zero at the smoothed label, 0.91 or 0.82 (the "
        "thin vertical lines), and pushes back beyond it.",
        references=(SZEGEDY_2016, MULLER_2019, PYTORCH_CE_LOSS),
    ),
    "logsumexp_shift": Teaching(
        question="How can log-sum-exp and softmax be computed for logits in the hundreds or thousands, where the "
        "exponentials overflow?",
        meaning="Adding one number to every logit moves log-sum-exp by exactly that number and leaves softmax "
        "unchanged. Choosing the number as minus the largest logit makes every exponent zero or negative, so "
        "nothing overflows, and makes one term of the sum equal to one, so the sum cannot underflow to zero. "
        "Adding the largest logit back gives log-sum-exp itself. This is how the frameworks compute log-softmax "
        "and cross-entropy from logits.",
        mistake="The shift is exact, not an approximation: the identity holds for every shift, and the only "
        "rounding left is that of ordinary floating point. It is a different thing from approximating "
        "log-sum-exp by the largest logit, which is close only when one logit dominates the others. Forgetting "
        "to add the shift back is wrong by exactly the shift.",
        references=(PYTORCH_LOGSUMEXP, PYTORCH_CE, BLANCHARD_LSE),
    ),
    "scaled_loss_descent": Teaching(
        question="The Gaussian likelihood gives the squared error multiplied by the noise's precision, and code "
        "usually drops that factor. Is the model trained on the scaled loss the same as the model trained on the "
        "plain one?",
        meaning="It ends in the same place but gets there at another speed. A positive factor keeps the order of "
        "any two values of the loss, so the best prediction is the same; and it comes out of the derivative, so "
        "the gradient points the same way and is only longer or shorter. One step of gradient descent on the "
        "scaled loss is therefore one step on the plain loss with the learning rate multiplied by the factor.",
        mistake="Saying that dropping the factor does not affect convergence is half true: the minimiser stays, "
        "but a learning rate tuned with the factor is off by that factor without it, which can mean steps too "
        "small to make progress or too large to converge. Adaptive optimisers such as Adam, which divide by a "
        "running size of the gradient, largely cancel a constant factor; plain gradient descent does not.",
        references=(D2L_MLE, BISHOP_PRML),
    ),
}
