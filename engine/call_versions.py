"""Which deployed version a call activity runs, as Camunda 7's ``camunda:calledElementBinding``
says; checked here when the calling diagram is deployed.

- no binding, or ``latest``: the called process's latest version at the moment the call starts
  (``engine.call_binding``): a version deployed after the caller reaches it without deploying
  the caller again; an instance already inside the called process finishes the version it
  started;
- ``deployment``: the latest version deployed when the calling diagram is deployed (its spec is
  compiled into the caller's version: deploy the caller again to take a newer one);
- ``version`` with ``camunda:calledElementVersion="N"``: version N.

Whatever the binding, the called process must be deployed before the caller (or be in its file),
and calls that come back to the caller are refused (checked against the latest versions). Any
other binding, a version that is not a whole number, or two calls of one process to different
versions are issues.
"""

from __future__ import annotations

from .refusals import DiagramIssue, describe, issue_at
from .texts import say

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
            say(
                "%(el)s memakai calledElementBinding '%(binding)s' yang tidak didukung; hapus "
                "atribut itu (versi terbaru) atau pakai 'version' dengan calledElementVersion",
                el=describe(call),
                binding=binding,
            ),
            filename,
        )
    text = (call.get(f"{CAMUNDA}calledElementVersion") or "").strip()
    if not text.isdigit() or int(text) < 1:
        return None, issue_at(
            call,
            say(
                "%(el)s mengunci versi proses yang dipanggil, tetapi calledElementVersion "
                "'%(text)s' bukan nomor versi; isi dengan bilangan bulat seperti 1",
                el=describe(call),
                text=text,
            ),
            filename,
        )
    return int(text), None


def version_clash(call, target: str, chosen: dict[str, int | None], version, filename: str):
    """An issue when ``target`` is already called at another version in this diagram."""
    if target in chosen and chosen[target] != version:
        return issue_at(
            call,
            say(
                "%(el)s memanggil proses '%(target)s' %(version)s, padahal pemanggilan lain di "
                "diagram ini memakai %(other)s; satu diagram hanya dapat memanggil satu versi "
                "dari satu proses",
                el=describe(call),
                target=target,
                version=_words(version),
                other=_words(chosen[target]),
            ),
            filename,
        )
    chosen[target] = version
    return None


def _words(version: int | None) -> str:
    return say("versi terbaru") if version is None else say("versi %(n)d", n=version)
