"""The outcomes of symbolic proof attempts, kept between runs.

A proof attempt is deterministic: the same relation, rules and prover code
give the same outcome.  So its outcome (the method that proved it, or none)
is stored under a hash of all three, and a later ``derive check`` or build
with nothing changed does not run SymPy again.  The prover's code enters the
key through :data:`PROVER_VERSION`, a hash of the files it is made of.

The store is a directory of small files: ``$DERIVE_PROOF_CACHE`` if set (an
empty value turns the store off), else ``~/.cache/derive/proofs``.  A store
that cannot be written is silently not used: it only saves time.

>>> cache = ProofCache(None)
>>> cache.put("key", "expand"); cache.get("key") is None
True
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_PROVER_FILES = (
    "prove.py",
    "normal_form.py",
    "rules.py",
    "intervals.py",
    "inequalities.py",
    "log_rule.py",
    "variance.py",
    "proof_cache.py",
    "../recipes/sums.py",
    "../model/activations.py",
)
_HERE = Path(__file__).resolve().parent
PROVER_VERSION = hashlib.sha256(
    b"".join((_HERE / name).read_bytes() for name in _PROVER_FILES if (_HERE / name).exists())
).hexdigest()[:16]


def _default_dir() -> Path | None:
    configured = os.environ.get("DERIVE_PROOF_CACHE")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "derive" / "proofs"


class ProofCache:
    """Outcomes by key: the method that proved a relation, or the empty string for no proof."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _path(self, key: str) -> Path | None:
        return self.root / key[:2] / key if self.root else None

    def get(self, key: str) -> str | None:
        path = self._path(key)
        try:
            return path.read_text(encoding="utf-8") if path else None
        except OSError:
            return None

    def put(self, key: str, outcome: str) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(outcome, encoding="utf-8")
            temporary.replace(path)  # atomic: parallel workers never read half a file
        except OSError:
            pass


PROOF_CACHE = ProofCache(_default_dir())
