"""Which deployed version a call activity runs: the latest, or one pinned in the diagram.

``camunda:calledElementBinding="version"`` with ``camunda:calledElementVersion="N"`` pins the
called process to its version N; without a binding (or ``latest``, ``deployment``) the call runs
the latest version deployed when the calling diagram is deployed (the called spec is compiled into
the caller's version: deploy the caller again to take a newer one). Any other binding, a version
that is not a whole number, or two calls of one process to different versions are issues.
"""

from __future__ import annotations

from .refusals import DiagramIssue, describe, issue_at

CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
LATEST_BINDINGS = ("", "latest", "deployment")


def pinned_version(call, filename: str) -> tuple[int | None, DiagramIssue | None]:
    """(the pinned version or None for the latest, an issue or None) of one call activity."""
    binding = (call.get(f"{CAMUNDA}calledElementBinding") or "").strip()
    if binding in LATEST_BINDINGS:
        return None, None
    if binding != "version":
        return None, issue_at(
            call,
            f"{describe(call)} memakai calledElementBinding '{binding}' yang tidak didukung; "
            "hapus atribut itu (versi terbaru) atau pakai 'version' dengan calledElementVersion",
            filename,
        )
    text = (call.get(f"{CAMUNDA}calledElementVersion") or "").strip()
    if not text.isdigit() or int(text) < 1:
        return None, issue_at(
            call,
            f"{describe(call)} mengunci versi proses yang dipanggil, tetapi calledElementVersion "
            f"'{text}' bukan nomor versi; isi dengan bilangan bulat seperti 1",
            filename,
        )
    return int(text), None


def version_clash(call, target: str, chosen: dict[str, int | None], version, filename: str):
    """An issue when ``target`` is already called at another version in this diagram."""
    if target in chosen and chosen[target] != version:
        return issue_at(
            call,
            f"{describe(call)} memanggil proses '{target}' {_words(version)}, padahal "
            f"pemanggilan lain di diagram ini memakai {_words(chosen[target])}; "
            "satu diagram hanya dapat memanggil satu versi dari satu proses",
            filename,
        )
    chosen[target] = version
    return None


def _words(version: int | None) -> str:
    return "versi terbaru" if version is None else f"versi {version}"
