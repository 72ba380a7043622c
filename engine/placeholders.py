"""``{key}`` placeholders in texts an analyst writes in a diagram (subjects, messages)."""

from __future__ import annotations

import string
from typing import Any


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "-"


def render_text(template: str, data: dict[str, Any]) -> str:
    """``{key}`` placeholders from the task data; unknown keys show as '-'; no attribute access."""
    fields = _Blank(
        {k: ("-" if v is None else v) for k, v in data.items() if isinstance(v, (str, int, float))}
    )
    safe = "".join(
        literal + ("{" + name + "}" if name and name.isidentifier() else "")
        for literal, name, _spec, _conv in string.Formatter().parse(
            template.replace("{{", "\0").replace("}}", "\1")
        )
    )
    return safe.format_map(fields).replace("\0", "{").replace("\1", "}")
