"""An MkDocs hook: fills the "Guide" and "Derivations" sections of the nav from the build.

mkdocs.yml names this file under ``hooks:``.  ``derive build`` writes
``docs/generated/nav.json`` with the pages it generated (the derivations
depend on what the registry holds, user modules included); this hook puts
them in place of the one-page placeholders in mkdocs.yml, for ``mkdocs
build`` and ``mkdocs serve`` alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def on_config(config: Any, **kwargs: Any) -> Any:
    nav_file = Path(config["docs_dir"]) / "generated" / "nav.json"
    if not nav_file.exists() or not config.get("nav"):
        return config
    sections = json.loads(nav_file.read_text(encoding="utf-8"))["sections"]
    nav = []
    for item in config["nav"]:
        if isinstance(item, dict) and len(item) == 1:
            (title,) = item
            if title in sections:
                item = {title: sections[title]}
        nav.append(item)
    config["nav"] = nav
    return config
