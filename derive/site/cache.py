"""A small on-disk cache keyed by a hash of the code that produced each value.

A key is the SHA-256 of some source files' bytes plus any extra strings, so
changing one line of a catalogue module invalidates exactly the derivations it
holds (and those that use them), and nothing else.

>>> import tempfile, pathlib
>>> cache = Cache(pathlib.Path(tempfile.mkdtemp()))
>>> key = hash_parts(["a", "b"])
>>> cache.get_json("demo", key) is None
True
>>> cache.put_json("demo", key, {"x": 1})
>>> cache.get_json("demo", key)
{'x': 1}
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(".cache") / "derive-site"


def hash_parts(parts: Iterable[str | bytes]) -> str:
    """SHA-256 over the parts, each length-prefixed so boundaries cannot blur."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def hash_files(paths: Iterable[Path], *extra: str) -> str:
    """A key for the contents of ``paths`` (sorted, names included) and ``extra``."""
    parts: list[str | bytes] = list(extra)
    for path in sorted(set(paths)):
        parts += [path.name, path.read_bytes()]
    return hash_parts(parts)


class Cache:
    """Values by (kind, key) under one directory; writes are atomic."""

    def __init__(self, root: Path = DEFAULT_DIR) -> None:
        self.root = root

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / kind / f"{key}{suffix}"

    def get_json(self, kind: str, key: str) -> Any | None:
        path = self._path(kind, key, ".json")
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put_json(self, kind: str, key: str, value: Any) -> None:
        self._write(self._path(kind, key, ".json"), json.dumps(value, sort_keys=True).encode())

    def get_bytes(self, kind: str, key: str, suffix: str) -> bytes | None:
        try:
            return self._path(kind, key, suffix).read_bytes()
        except OSError:
            return None

    def put_bytes(self, kind: str, key: str, suffix: str, data: bytes) -> None:
        self._write(self._path(kind, key, suffix), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
