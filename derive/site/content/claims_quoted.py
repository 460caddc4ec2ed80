# ruff: noqa: E501  (each quotation stays on one line, exactly as in the source, so that it can be found there)
r"""The source material's own formulas, quoted exactly as its posts write them in LaTeX, typos included.

These are quotations, never results: the audit page prints each one in a box marked as the source's and
never counts it as checked (its Math carries ``passed=False``).  Every derived formula beside it comes from a
verified relation.  A test checks that each quotation occurs, character for character, in the source material.
Claims whose source gives no formula as text (the Q&A thread and one post show their formulas as images) have
no entry.

>>> QUOTED_FORMULAS["batch-cross-entropy-index"]
('J= -\\sum_{i=1}^m\\sum_{j=1}^n y_{ij} \\ln a_{i}',)
"""

from __future__ import annotations

# claim id -> the formulas the source writes for it, in its order
QUOTED_FORMULAS: dict[str, tuple[str, ...]] = {
    "mse-prefers-uniform": (
        r"\begin{aligned}L &= (y_1 - \hat{y}_1)^2 + \dots + (y_K - \hat{y}_K)^2 \\&= (1 - \hat{y}_p)^2 + (\hat{y}_1^2 + \dots + \hat{y}_{p-1}^2 + \hat{y}_{p+1}^2 + \dots + \hat{y}_K^2)\end{aligned}",
    ),
    "softmax-diagonal": (r"\frac{\partial \hat{y}_p}{\partial z_p} = \hat{y}_p(1-\hat{y}_p)",),
    "ce-softmax-gradient": (
        r"\frac{\partial L}{\partial \hat{z}_p} = \frac{\partial L}{\partial \hat{y}_p} \cdot \frac{\partial \hat{y}_p}{\partial z_p} = \hat{y}_p - 1",
    ),
    "mse-softmax-gradient": (
        r"\frac{\partial L}{\partial \hat{z}_p} = \frac{\partial L}{\partial \hat{y}_p} \cdot \frac{\partial \hat{y}_p}{\partial z_p} = -2 \hat{y}_p (1 - \hat{y}_p)^2",
    ),
    "mse-stalls": (
        r"\frac{\partial L}{\partial \hat{z}_p} = \frac{\partial L}{\partial \hat{y}_p} \cdot \frac{\partial \hat{y}_p}{\partial z_p} = -2 \hat{y}_p (1 - \hat{y}_p)^2",
    ),
    "two-layer": (r"\frac{dL}{dw_{2}} = (a_{2}-y) \cdot a_{2}(1-a_{2}) \cdot a_{1}",),
    "cce-general-label": (r"\frac{\partial C}{\partial z_{i}}=a_{i}-y_{i}",),
    "softmax-derivative-typos": (
        r"\frac{\partial a_{i}}{\partial z_{i}}=\frac{\partial\left(\frac{e^{i_{i}}}{\sum_{k} e^{i k}}\right)}{\partial z_{i}}=\frac{\sum_{k} e^{z_{k}} e^{z_{i}}-\left(e^{z_{i}}\right)^{2}}{\left(\sum_{k} e^{z_{k}}\right)^{2}}=\left(\frac{e^{z_{i}}}{\sum_{k} e^{z_{k}}}\right)\left(1-\frac{e^{z_{i}}}{\sum_{k} e^{z_{k}}}\right)=a_{i}\left(1-a_{i}\right)",
        r"\frac{\partial a_{j}}{\partial z_{i}}=\frac{\partial\left(\frac{e^{i j}}{\sum_{k} e^{x}}\right)}{\partial z_{i}}=-e^{z_{j}}\left(\frac{1}{\sum_{k} e^{z_{k}}}\right)^{2} e^{z_{i}}=-a_{i} a_{j}",
        r"\begin{aligned} \frac{\partial C}{\partial z_{i}} &=\sum_{j}\left(\frac{\partial C_{j}}{\partial a_{j}} \frac{\partial a_{j}}{\partial z_{i}}\right)=\sum_{j=j i}\left(\frac{\partial C_{j}}{\partial a_{j}} \frac{\partial a_{j}}{\partial z_{i}}\right)+\sum_{i=j}\left(\frac{\partial C_{j}}{\partial a_{j}} \frac{\partial a_{j}}{\partial z_{i}}\right) \\ &=\sum_{j=j i}-y_{j} \frac{1}{a_{j}}\left(-a_{i} a_{j}\right)+\left(-y_{i} \frac{1}{a_{i}}\right)\left(a_{i}\left(1-a_{i}\right)\right) \\ &=\sum_{j=j i} a_{i} y_{j}+\left(-y_{i}\left(1-a_{i}\right)\right) \\ &=\sum_{j=i} a_{i} y_{j}+a_{i} y_{i}-y_{i} \\ &=a_{i} \sum_{j} y_{j}-y_{i} \end{aligned}",
    ),
    "mse-cannot-output-probabilities": (r"L(a,y) = \frac{1}{2} (a-y)^{2}",),
    "self-information-values": (
        r"I=-\ln(0.7)=0.36",
        r"I=-\ln(0.2)=1.61",
        r"I=-\ln(0.1)=2.30",
    ),
    "entropy-value": (
        r"\begin{aligned}H(p) &= -[p(x_1)\ln p(x_1) + p(x_2)\ln p(x_2) + p(x_3)\ln p(x_3)] \\ &= 0.7 \times 0.36 + 0.2 \times 1.61 + 0.1 \times 2.30 \\ &= 0.804 \end{aligned}",
    ),
    "bce-values": (
        r"loss_1 = -(1 \times \ln 0.6 + (1-1) \times \ln (1-0.6)) = 0.51",
        r"loss_2 = -(1 \times \ln 0.7 + (1-1) \times \ln (1-0.7)) = 0.36",
    ),
    "cce-values": (
        r"loss_1 = -(0 \times \ln 0.2 + 0 \times \ln 0.5 + 1 \times \ln 0.3) = 1.2",
        r"loss_2 = -(0 \times \ln 0.2 + 0 \times \ln 0.2 + 1 \times \ln 0.6) = 0.51",
    ),
    "batch-cross-entropy-index": (r"J= -\sum_{i=1}^m\sum_{j=1}^n y_{ij} \ln a_{i}",),
    "kl-is-a-distance": (r"D_{KL}(p \Vert q) = \sum_{j=1}^n p(x_j) \ln \frac{p(x_j)}{q(x_j)}",),
    "entropy-is-a-sum": (r"H(p)=-\sum_j^n p(x_j)\ln(p(x_j))",),
}
