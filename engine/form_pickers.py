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
    return f"isian '{label}' ({field.get('id')})" if label else f"isian '{field.get('id')}'"


def unknown_picker_issues(root, filename: str, known: Collection[str]) -> list[DiagramIssue]:
    """One issue per form field whose ``picker`` is not one of ``known`` (none when empty)."""
    if not known:
        return []
    issues = []
    for field in root.iter(f"{CAMUNDA}formField"):
        picker = _picker_of(field)
        if picker is None or picker in known:
            continue
        owner = _owner(field)
        where = f" pada {describe(owner)}" if owner is not None else ""
        issues.append(
            issue_at(
                field,
                f"{_field_words(field)}{where} memakai picker '{picker}' yang tidak dikenal "
                f"(picker yang dikenal: {', '.join(sorted(known))}); tanpa picker yang dikenal "
                "isian ini hanya menjadi kotak teks",
                filename,
            )
        )
    return issues


def unknown_picker_role_issues(root, filename: str, known: Collection[str]) -> list[DiagramIssue]:
    """One issue per form field whose ``picker_role`` names a role that is neither in the roles
    table nor named by the diagram's lanes (its list of people would be empty)."""
    issues = []
    for field in root.iter(f"{CAMUNDA}formField"):
        role = _picker_of(field, PICKER_ROLE_PROPERTY)
        if role is None or role in known:
            continue
        owner = _owner(field)
        where = f" pada {describe(owner)}" if owner is not None else ""
        issues.append(
            issue_at(
                field,
                f"{_field_words(field)}{where} memilih orang dari peran '{role}' yang belum "
                f"dikenal (peran yang dikenal: {', '.join(sorted(known)) or '(belum ada)'})",
                filename,
            )
        )
    return issues
