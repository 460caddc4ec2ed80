"""The claims audit's vocabulary: verdicts by severity, the sources, and what a claim and its evidence are.

>>> SEVERITY[0], SEVERITY[-1]
('wrong', 'holds')
"""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def title(self) -> str:
        """A short heading made from the id: ``mse-softmax-gradient`` -> ``MSE softmax gradient``."""
        acronyms = {"mse": "MSE", "ce": "CE", "bce": "BCE", "cce": "CCE", "kl": "KL"}
        words = [acronyms.get(w, w) for w in self.id.split("-")]
        return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def relation(name: str, label: str = "result 1", caption: str = "") -> Evidence:
    return Evidence(derivation=name, label=label, caption=caption)


def worked(name: str) -> Evidence:
    return Evidence(example=name)
