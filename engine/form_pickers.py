"""Refusing a form field whose ``picker`` names no picker the pages know.

A ``camunda:formField`` with the property ``picker`` is drawn as lists to choose from (the web's
``web.pickers``); the names it knows are registered on the engine's service registry by the
composition root (``ServiceRegistry.form_pickers``). A misspelt name would silently become a text
box, so the deploy refuses it naming the field, its step and the known names. With no picker
registered (the engine alone, as in its own tests) nothing is checked.
"""

from __future__ import annotations

from collections.abc import Collection

from .errors import DiagramIssue
from .parser import CAMUNDA
from .refusals import describe, issue_at
from .texts import say, word

PICKER_PROPERTY = "picker"
#: the role whose holders ``picker=pengguna`` offers
PICKER_ROLE_PROPERTY = "picker_role"


def _owner(field):
    """The step or event whose form holds ``field`` (the nearest ancestor with an id)."""
    element = field.getparent()
    while element is not None and element.get("id") is None:
        element = element.getparent()
    return element


def _picker_of(field, name: str = PICKER_PROPERTY) -> str | None:
    for prop in field.iter(f"{CAMUNDA}property"):
        if prop.get("id") == name:
            return (prop.get("value") or "").strip()
    return None


def _field_words(field) -> str:
    label = " ".join((field.get("label") or "").split())
    if label:
        return say("isian '%(label)s' (%(id)s)", label=label, id=field.get("id"))
    return say("isian '%(id)s'", id=field.get("id"))


def _property_issues(
    root, filename: str, name: str, known: Collection[str], template: str
) -> list[DiagramIssue]:
    """One issue per form field whose property ``name`` holds a value ``known`` lacks;
    ``template`` words it (``%(field)s``, ``%(where)s``, ``%(value)s``, ``%(known)s``)."""
    issues = []
    listed = ", ".join(sorted(known)) or word("(belum ada)")
    for field in root.iter(f"{CAMUNDA}formField"):
        value = _picker_of(field, name)
        if value is None or value in known:
            continue
        owner = _owner(field)
        where = say(" pada %(el)s", el=describe(owner)) if owner is not None else ""
        text = say(template, field=_field_words(field), where=where, value=value, known=listed)
        issues.append(issue_at(field, text, filename))
    return issues


def unknown_picker_issues(root, filename: str, known: Collection[str]) -> list[DiagramIssue]:
    """One issue per form field whose ``picker`` is not one of ``known`` (none when empty)."""
    if not known:
        return []
    return _property_issues(
        root,
        filename,
        PICKER_PROPERTY,
        known,
        "%(field)s%(where)s memakai picker '%(value)s' yang tidak dikenal (picker yang dikenal: "
        "%(known)s); tanpa picker yang dikenal isian ini hanya menjadi kotak teks",
    )


def unknown_picker_role_issues(root, filename: str, known: Collection[str]) -> list[DiagramIssue]:
    """One issue per form field whose ``picker_role`` names a role that is neither in the roles
    table nor named by the diagram's lanes (its list of people would be empty)."""
    return _property_issues(
        root,
        filename,
        PICKER_ROLE_PROPERTY,
        known,
        "%(field)s%(where)s memilih orang dari peran '%(value)s' yang belum dikenal (peran yang "
        "dikenal: %(known)s)",
    )
