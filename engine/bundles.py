"""A diagram and what deploys with it, read from disk (``laksana deploy``, ``make run``).

For ``DIR/X.bpmn`` the bundle is: the ``.dmn`` files of ``DIR`` (``engine.decisions``), and the
folder ``DIR/X/`` beside the diagram when there is one: its letter templates (every file but
``peran.csv``; a file of no known template format is refused at deploy, naming it) and its
``peran.csv``, the roles the diagram introduces as data (``kode,nama,bidang``; a header line, one
role a line), added to the roles table in the deploy's transaction. A new SOP thus needs no
Python: the diagram, its Word templates and its roles are files.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .decisions import bundles_at
from .errors import DiagramInvalid, DiagramIssue

ROLES_FILE = "peran.csv"
ROLES_HEADER = ["kode", "nama", "bidang"]


@dataclass
class Bundle:
    diagram: Path
    decisions: list[tuple[str, bytes]]
    templates: list[tuple[str, bytes]] = field(default_factory=list)
    roles: list[tuple[str, str, str]] = field(default_factory=list)


def _roles_issue(path: Path, line: int | None, message: str) -> DiagramInvalid:
    return DiagramInvalid([DiagramIssue(message, None, line, path.name)])


def read_roles(path: Path) -> list[tuple[str, str, str]]:
    """(code, name, bidang) from a ``peran.csv``; a malformed file is refused naming its line."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _roles_issue(path, None, "berkas peran harus berenkode UTF-8") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0]][:2] != ROLES_HEADER[:2]:
        raise _roles_issue(path, 1, "baris pertama harus judul kolom: kode,nama,bidang")
    roles = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise _roles_issue(path, number, "setiap baris perlu kode dan nama peran")
        roles.append((cells[0], cells[1], cells[2] if len(cells) > 2 else ""))
    return roles


def _folder_files(folder: Path) -> tuple[list[tuple[str, bytes]], list[tuple[str, str, str]]]:
    templates: list[tuple[str, bytes]] = []
    roles: list[tuple[str, str, str]] = []
    if not folder.is_dir():
        return templates, roles
    for file in sorted(folder.iterdir()):
        if file.name.startswith((".", "~$")) or not file.is_file():
            continue  # hidden files and Word's lock files
        if file.name == ROLES_FILE:
            roles = read_roles(file)
        else:
            templates.append((file.name, file.read_bytes()))
    return templates, roles


def bundles_in(path: Path) -> list[Bundle]:
    """The bundles of a ``.bpmn`` file or of every diagram of a directory."""
    found = []
    for diagram, decisions in bundles_at(path):
        templates, roles = _folder_files(diagram.with_suffix(""))
        found.append(Bundle(diagram, decisions, templates, roles))
    return found
