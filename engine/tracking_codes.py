"""The one format of the tracking codes given to requesters and complainants: ``K7QX-3MPA-9RTB``.

Three groups of four characters from an alphabet without 0/O and 1/I/L (read aloud on the
telephone without mistakes; 31^12 ≈ 7.9 * 10^17 codes). Typed in any case, with or without the
dashes or with spaces, a code is found. Requests registered before this format kept a ten
character code without dashes (``K7QX3MPA9R``); those still work (``web.tracking``).
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUP_LENGTH = 4
GROUPS = 3
LENGTH = GROUP_LENGTH * GROUPS


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def new_code() -> str:
    """A fresh random code, ``XXXX-XXXX-XXXX``."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalise(code: str | None) -> str | None:
    """``k7qx 3mpa-9rtb`` -> ``K7QX-3MPA-9RTB``; None when it cannot be a code of this format."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return _grouped(raw)
