"""A new SOP needs no Python: nothing outside tests/ names Pengelolaan Jaringan's process, roles or fields.

The proof of issue 11: the diagram, its Word template and its roles file in ``processes/`` are all
it takes. Any Python module that names one of its ids would mean the next SOP needs code too.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
DIAGRAM = ROOT / "processes" / "pengelolaan_jaringan.bpmn"
ROLES = ROOT / "processes" / "pengelolaan_jaringan" / "peran.csv"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
SKIPPED = {"tests", ".venv", "node_modules", ".git", "build", "instance"}


def sop_names() -> set[str]:
    root = etree.parse(str(DIAGRAM)).getroot()
    names = {p.get("id") for p in root.iter(f"{BPMN}process")}
    names |= {f.get("id") for f in root.iter(f"{CAMUNDA}formField")}
    with ROLES.open(encoding="utf-8") as handle:
        names |= {row["kode"] for row in csv.DictReader(handle)}
    return {name for name in names if name}


def python_files():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED & set(path.relative_to(ROOT).parts):
            yield path


def test_the_sop_really_has_its_own_roles_and_fields():
    names = sop_names()
    assert {"pengelolaan_jaringan", "pelapor", "kasi_siak", "teknisi_jaringan"} <= names
    assert len(names) > 10


def test_no_python_file_outside_tests_names_its_process_roles_or_fields():
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, sop_names()))) + r")\b")
    found = []
    for path in python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = pattern.search(line)
            if match:
                found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(1)}")
    assert found == [], "\n".join(found)
