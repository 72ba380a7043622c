"""What the engine says to people: Bahasa Indonesia, in the reader's language where one is known.

The engine writes its refusals in Indonesian with ``%(name)s`` placeholders. It does not know
who reads them; the composition root of the web gives it a translator (Flask-Babel's ``gettext``
under a request, so an English page shows English), the CLI and jobs keep the Indonesian. The
templates are the msgids of ``web/translations/*/messages.po``: change one here, change it there.
"""

from __future__ import annotations

from collections.abc import Callable

#: (template, context or None) -> the template in the reader's language (None: as written)
Translator = Callable[[str, str | None], str]
_translator: Translator | None = None
#: the message context of single words (an element's kind, "none"), so that they cannot clash
#: with the same word elsewhere in the web's catalogue
WORD_CONTEXT = "bpmn"


def set_translator(translate: Translator | None) -> None:
    """Give the engine the reader's language (``None``: Indonesian again)."""
    global _translator
    _translator = translate


def say(template: str, **values: object) -> str:
    """``template`` (Indonesian, ``%(name)s`` placeholders) in the reader's language, filled in."""
    text = _translator(template, None) if _translator is not None else template
    return text % values if values else text


def word(text: str) -> str:
    """A single word or phrase of a message (an element's kind) in the reader's language."""
    return _translator(text, WORD_CONTEXT) if _translator is not None else text
