"""Warnings (not refusals) about a step's standard time and the escalation timer drawn on it.

A step's waktu baku is its ``camunda:property`` ``standard_minutes``; its escalation is a
boundary timer on the step, written in office minutes (``office_minutes_from_now(N)``) or as an
ISO duration in minutes (``"PT{N}M"``). When the analyst changes one and not the other, the
escalation fires at the old time: the diagram still runs, so this is a warning naming the step.
Timers counted in other units (working days, dates) are not about the standard time and are
left alone.
"""

from __future__ import annotations

import re

from lxml import etree

from .errors import DiagramIssue
from .parser import CAMUNDA, safe_xml_parser
from .refusals import BPMN_NS, describe, issue_at

B = f"{{{BPMN_NS}}}"
STANDARD_TIME_PROPERTY = "standard_minutes"
#: the minutes of a timer expression that counts minutes, or no match
_TIMER_MINUTES = (
    re.compile(r"^\s*office_minutes_from_now\(\s*(\d+)\s*\)\s*$"),
    re.compile(r"^\s*[\"']?PT(\d+)M[\"']?\s*$"),
)


def standard_minutes(task) -> int | None:
    """The step's waktu baku in minutes (None when it has none or it is not a whole number)."""
    for prop in task.iter(f"{CAMUNDA}property"):
        if prop.get("name") == STANDARD_TIME_PROPERTY:
            value = (prop.get("value") or "").strip()
            return int(value) if value.isdigit() else None
    return None


def timer_minutes(boundary) -> int | None:
    """The minutes after which a boundary timer fires, when its expression counts minutes."""
    timer = boundary.find(f"{B}timerEventDefinition")
    if timer is None:
        return None
    for child in timer:
        for pattern in _TIMER_MINUTES:
            found = pattern.match(child.text or "")
            if found:
                return int(found.group(1))
    return None


def standard_time_warnings(xml: bytes | str, filename: str) -> list[DiagramIssue]:
    """A warning for each escalation timer whose minutes differ from its step's waktu baku."""
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    try:
        root = etree.fromstring(xml, parser=safe_xml_parser())
    except etree.XMLSyntaxError:
        return []  # validation says what is wrong with the file
    if root is None:
        return []
    tasks = {el.get("id"): el for el in root.iter() if el.get("id") and _is_bpmn(el)}
    warnings = []
    for boundary in root.iter(f"{B}boundaryEvent"):
        task = tasks.get(boundary.get("attachedToRef"))
        if task is None:
            continue
        standard, fires = standard_minutes(task), timer_minutes(boundary)
        if standard is None or fires is None or standard == fires:
            continue
        warnings.append(
            issue_at(
                boundary,
                f"waktu baku {describe(task)} {standard} menit, tetapi timer eskalasinya "
                f"{describe(boundary)} berbunyi setelah {fires} menit; samakan timernya dengan "
                "waktu baku (atau ubah waktu bakunya)",
                filename,
            )
        )
    return warnings


def _is_bpmn(element) -> bool:
    return isinstance(element.tag, str) and etree.QName(element).namespace == BPMN_NS
