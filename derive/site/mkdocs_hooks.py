"""An MkDocs hook: fills the "Guide" and "Derivations" sections of the nav from the build, and the home page.

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


def on_page_markdown(markdown: str, page: Any, config: Any, **kwargs: Any) -> str:
    """The home page: the build's ``generated/home.md`` (formulas from checked results) in place of ``index.md``.

    ``docs/index.md`` stays as the page a plain ``mkdocs build`` shows before ``derive build`` has run.
    """
    if page.file.src_uri != "index.md":
        return markdown
    home = Path(config["docs_dir"]) / "generated" / "home.md"
    return home.read_text(encoding="utf-8") if home.exists() else markdown
