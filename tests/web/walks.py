"""What every staff page of the role walks must show a person (issue 13's "Done when").

``look_at`` screenshots a page to test-artifacts/walks/ and asserts, on the visible text of its
body: no sideways scrolling at phone width, no raw code of the deployed diagrams (element ids,
enum ids, role codes, catalogue codes) and no ISO timestamp; on an approval task, that the
decision form's submit button is within the first screen. The codes are read from the diagrams
themselves, so a new SOP's ids are checked without naming them here.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

from tests.conftest import PROCESSES
from tests.web.live import ARTIFACTS

SHOTS = ARTIFACTS / "walks"
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}")
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
#: where one value ends and the next begins in a page's visible text
SEPARATORS = re.compile(r"\s*(?:[\t\n·|:;,()]|\s[-–—]\s)\s*")


@cache
def diagram_codes() -> frozenset[str]:
    """Every id a person must never read: the process elements (snake_case ones: a one-word id
    such as ``selesai`` is also an ordinary word), enum values and role codes."""
    codes: set[str] = set()
    for path in sorted(Path(PROCESSES).glob("**/*.bpmn")):
        tree = etree.parse(str(path))
        for process in tree.iter(f"{{{BPMN}}}process"):
            codes.update(el.get("id") for el in process.iter() if "_" in (el.get("id") or ""))
        codes.update(value.get("id") for value in tree.iter(f"{{{CAMUNDA}}}value"))
        for element in tree.iter():
            for attribute in ("candidateGroups", "candidateStarterGroups"):
                groups = element.get(f"{{{CAMUNDA}}}{attribute}") or ""
                codes.update(group.strip() for group in groups.split(",") if group.strip())
    return frozenset(code for code in codes if code)


def catalogue_codes() -> frozenset[str]:
    """The complaint catalogue's codes (categories, channels, units)."""
    from complaints.catalog import CATEGORIES, CHANNELS, UNITS

    return frozenset(set(CATEGORIES) | set(CHANNELS) | set(UNITS))


def role_codes() -> frozenset[str]:
    from office.roles import ROLES

    return frozenset(ROLES)


def raw_codes_in(text: str, choices: list[str] = ()) -> set[str]:
    """Codes shown as text: a snake_case code anywhere, a one-word code as a value of its own
    outside the ``choices`` of a list (a person picked from a list is named with the username
    he signs in with, which may read as a one-word code)."""
    codes = diagram_codes() | catalogue_codes() | role_codes()
    words = set(re.findall(r"[a-z0-9]+(?:_[a-z0-9]+)+", text))
    found = {word for word in words if word in codes}
    for choice in choices:
        text = text.replace(choice, "")
    found |= {part for part in SEPARATORS.split(text) if part in codes}
    return found


def look_at(page, name: str, *, approval: bool = False) -> str:
    """Screenshot ``page`` and assert what every staff page owes a person; its visible text."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    label = f"{name.replace('_', '-')}-{width}"
    page.screenshot(path=str(SHOTS / f"{label}.png"), full_page=True)
    wider = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert wider <= 0, f"{label}: {wider}px wider than the screen"
    text = page.inner_text("body")
    moment = ISO_MOMENT.search(text)
    assert moment is None, f"{label}: ISO timestamp {moment.group(0) if moment else ''}"
    choices = page.eval_on_selector_all("select option", "os => os.map(o => o.text.trim())")
    leaked = raw_codes_in(text, [choice for choice in choices if choice])
    assert leaked == set(), f"{label}: raw codes shown {sorted(leaked)}"
    if approval:
        page.screenshot(path=str(SHOTS / f"{label}-layar-pertama.png"))
        box = page.locator("#selesaikan").bounding_box()
        assert box is not None, f"{label}: no submit button"
        assert box["y"] + box["height"] <= height, (
            f"{label}: the decision is below the first screen"
        )
    return text


def first_task_on_first_screen(page) -> bool:
    """The inbox's first task, its name, letter and dates, is whole on the first screen."""
    box = page.locator("li.task-item").first.bounding_box()
    return box is not None and box["y"] + box["height"] <= page.viewport_size["height"]
