"""The shapes of a derivation page's teaching (question, meaning, mistake, figure, references) and the
references the pages share.

>>> NIELSEN_3.url.startswith("https://")
True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    """A book, chapter or documentation page: how to cite it, and its address when it has one."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class Teaching:
    """The teaching around one derivation; ``figure`` names a figure of :mod:`derive.site.figures`."""

    question: str
    meaning: str
    mistake: str = ""
    figure: str = ""
    caption: str = ""
    references: tuple[Reference, ...] = ()


NIELSEN_3 = Reference(
    "Michael Nielsen, Neural Networks and Deep Learning, chapter 3: the cross-entropy cost function",
    "https://neuralnetworksanddeeplearning.com/chap3.html",
)
D2L_SOFTMAX = Reference(
    "Dive into Deep Learning, section 4.1: softmax regression (the loss and its derivative)",
    "https://d2l.ai/chapter_linear-classification/softmax-regression.html",
)
D2L_INFORMATION = Reference(
    "Dive into Deep Learning, appendix: information theory",
    "https://d2l.ai/chapter_appendix-mathematics-for-deep-learning/information-theory.html",
)
COVER_THOMAS = Reference("Thomas M. Cover and Joy A. Thomas, Elements of Information Theory, 2nd edition, chapter 2")
PYTORCH_BCE = Reference(
    "PyTorch documentation: BCEWithLogitsLoss, which folds the sigmoid into the loss for stability",
    "https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html",
)
PYTORCH_CE = Reference(
    "PyTorch documentation: cross_entropy, which takes logits and applies log-softmax itself",
    "https://pytorch.org/docs/stable/generated/torch.nn.functional.cross_entropy.html",
)
TF_SIGMOID_CE = Reference(
    "TensorFlow documentation: sigmoid_cross_entropy_with_logits, with the stable form it computes",
    "https://www.tensorflow.org/api_docs/python/tf/nn/sigmoid_cross_entropy_with_logits",
)
D2L_CONVEXITY = Reference(
    "Dive into Deep Learning, section 12.2: convexity (convex functions, and the second-derivative test)",
    "https://d2l.ai/chapter_optimization/convexity.html",
)
LIN_FOCAL = Reference(
    "Tsung-Yi Lin, Priya Goyal, Ross Girshick, Kaiming He and Piotr Dollár, Focal Loss for Dense Object "
    "Detection, ICCV 2017",
    "https://arxiv.org/abs/1708.02002",
)
TORCHVISION_FOCAL = Reference(
    "torchvision documentation: sigmoid_focal_loss, the focal loss on logits",
    "https://pytorch.org/vision/stable/generated/torchvision.ops.sigmoid_focal_loss.html",
)
HUBER_1964 = Reference(
    "Peter J. Huber, Robust Estimation of a Location Parameter, Annals of Mathematical Statistics 35(1), 1964"
)
PYTORCH_HUBER = Reference(
    "PyTorch documentation: HuberLoss, with the threshold delta where the loss turns from quadratic to linear",
    "https://pytorch.org/docs/stable/generated/torch.nn.HuberLoss.html",
)
PYTORCH_SMOOTH_L1 = Reference(
    "PyTorch documentation: SmoothL1Loss, the same shape divided by its threshold, so its linear piece has slope one",
    "https://pytorch.org/docs/stable/generated/torch.nn.SmoothL1Loss.html",
)
PYTORCH_MULTI_MARGIN = Reference(
    "PyTorch documentation: MultiMarginLoss, the hinge loss for several classes",
    "https://pytorch.org/docs/stable/generated/torch.nn.MultiMarginLoss.html",
)
PYTORCH_CE_LOSS = Reference(
    "PyTorch documentation: CrossEntropyLoss, which takes logits and either class indices counted from 0 or "
    "class probabilities, and has a label_smoothing option",
    "https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html",
)
PYTORCH_NLL = Reference(
    "PyTorch documentation: NLLLoss, the negative log-likelihood of a class index given log-probabilities",
    "https://pytorch.org/docs/stable/generated/torch.nn.NLLLoss.html",
)
PYTORCH_BCE_LOSS = Reference(
    "PyTorch documentation: BCELoss, the binary cross-entropy of probabilities and labels",
    "https://pytorch.org/docs/stable/generated/torch.nn.BCELoss.html",
)
PYTORCH_POISSON = Reference(
    "PyTorch documentation: PoissonNLLLoss, which by default takes the logarithm of the rate and leaves out the "
    "term of the count's factorial",
    "https://pytorch.org/docs/stable/generated/torch.nn.PoissonNLLLoss.html",
)
PYTORCH_GAUSSIAN = Reference(
    "PyTorch documentation: GaussianNLLLoss, the Gaussian negative log-likelihood with a predicted variance",
    "https://pytorch.org/docs/stable/generated/torch.nn.GaussianNLLLoss.html",
)
PYTORCH_L1 = Reference(
    "PyTorch documentation: L1Loss, the mean absolute error",
    "https://pytorch.org/docs/stable/generated/torch.nn.L1Loss.html",
)
PYTORCH_LOGSUMEXP = Reference(
    "PyTorch documentation: logsumexp, computed in the shifted, stable form",
    "https://pytorch.org/docs/stable/generated/torch.logsumexp.html",
)
KERAS_SPARSE_CCE = Reference(
    "TensorFlow documentation: tf.keras.losses.SparseCategoricalCrossentropy, integer labels counted from 0",
    "https://www.tensorflow.org/api_docs/python/tf/keras/losses/SparseCategoricalCrossentropy",
)
SZEGEDY_2016 = Reference(
    "Christian Szegedy, Vincent Vanhoucke, Sergey Ioffe, Jonathon Shlens and Zbigniew Wojna, Rethinking the "
    "Inception Architecture for Computer Vision, CVPR 2016, section 7, where label smoothing was introduced",
    "https://arxiv.org/abs/1512.00567",
)
MULLER_2019 = Reference(
    "Rafael Müller, Simon Kornblith and Geoffrey Hinton, When Does Label Smoothing Help?, NeurIPS 2019"
)
BISHOP_PRML = Reference(
    "Christopher M. Bishop, Pattern Recognition and Machine Learning, section 2.4 (the exponential family) and "
    "section 4.3.6 (canonical link functions)"
)
MURPHY_MLAPP = Reference(
    "Kevin P. Murphy, Machine Learning: A Probabilistic Perspective, chapter 9: generalized linear models and the "
    "exponential family"
)
BLANCHARD_LSE = Reference(
    "Pierre Blanchard, Desmond J. Higham and Nicholas J. Higham, Accurately computing the log-sum-exp and softmax "
    "functions, IMA Journal of Numerical Analysis 41 (2021)"
)
D2L_MLE = Reference(
    "Dive into Deep Learning, appendix: maximum likelihood",
    "https://d2l.ai/chapter_appendix-mathematics-for-deep-learning/maximum-likelihood.html",
)
