"""Small BPMN diagrams for the SOP paper tests, written from a compact description.

``diagram(lanes, nodes, flows)``: ``nodes`` are ``(kind, id, name, properties)``;
``flows`` are ``(source, target, name)`` (a gateway's first flow is its default).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" '
    'targetNamespace="https://example.org/bpmn">\n'
)

Node = tuple[str, str, str, dict[str, str]]
FlowSpec = tuple[str, str, str]


def task(node_id: str, name: str, minutes: int, step: int | None = None, **more: str) -> Node:
    props = {"standard_minutes": str(minutes), **more}
    if step is not None:
        props["sop_step"] = str(step)
    return ("userTask", node_id, name, props)


def _properties(props: dict[str, str]) -> str:
    if not props:
        return ""
    inner = "".join(
        f"<camunda:property name={quoteattr(k)} value={quoteattr(v)} />" for k, v in props.items()
    )
    return f"<bpmn:extensionElements><camunda:properties>{inner}</camunda:properties></bpmn:extensionElements>"


def diagram(
    lanes: dict[str, list[str]],
    nodes: list[Node],
    flows: list[FlowSpec],
    name: str = "Layanan Uji",
    process_properties: dict[str, str] | None = None,
) -> bytes:
    defaults: dict[str, str] = {}
    flow_xml = []
    for index, (source, target, label) in enumerate(flows):
        flow_id = f"f{index}"
        defaults.setdefault(source, flow_id)
        named = f" name={quoteattr(label)}" if label else ""
        flow_xml.append(
            f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}"{named} />'
        )
    lane_xml = "".join(
        f'<bpmn:lane id="lane{i}" name={quoteattr(lane)}>'
        + "".join(f"<bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs)
        + "</bpmn:lane>"
        for i, (lane, refs) in enumerate(lanes.items())
    )
    node_xml = []
    for kind, node_id, label, props in nodes:
        default = f' default="{defaults[node_id]}"' if kind.endswith("Gateway") else ""
        named = f" name={quoteattr(label)}" if label else ""
        node_xml.append(
            f'<bpmn:{kind} id="{node_id}"{named}{default}>{_properties(props)}</bpmn:{kind}>'
        )
    body = (
        f'<bpmn:process id="layanan_uji" name={quoteattr(name)} isExecutable="true">'
        f"{_properties(process_properties or {})}"
        f'<bpmn:laneSet id="ls">{lane_xml}</bpmn:laneSet>'
        + "".join(node_xml)
        + "".join(flow_xml)
        + "</bpmn:process></bpmn:definitions>"
    )
    return (HEAD + body).encode("utf-8")


START, END = ("startEvent", "mulai", "", {}), ("endEvent", "selesai", "Selesai", {})


def rejoin_forward(numbered: bool = True) -> bytes:
    """A check whose 'Tidak' branch asks for more papers and rejoins before the hand-over.

    Numbered as the analyst wrote it: the 'Tidak' branch is step 3, before the 'Ya' branch.
    """
    n = (lambda k: k) if numbered else (lambda k: None)
    return diagram(
        {
            "Loket": ["mulai", "terima", "minta", "serahkan", "selesai"],
            "Verifikator": ["periksa", "gw", "verifikasi"],
            "Kepala": ["setujui", "gabung"],
        },
        [
            START,
            task("terima", "Menerima berkas", 5, n(1)),
            task("periksa", "Memeriksa kelengkapan berkas", 10, n(2)),
            ("exclusiveGateway", "gw", "Berkas lengkap?", {}),
            task("minta", "Meminta kelengkapan kepada pemohon", 15, n(3)),
            task("verifikasi", "Memverifikasi data", 20, n(4)),
            task("setujui", "Menyetujui permohonan", 5, n(5)),
            ("exclusiveGateway", "gabung", "", {}),
            task("serahkan", "Menyerahkan hasil", 10, n(6)),
            END,
        ],
        [
            ("mulai", "terima", ""),
            ("terima", "periksa", ""),
            ("periksa", "gw", ""),
            ("gw", "verifikasi", "Ya"),
            ("gw", "minta", "Tidak"),
            ("verifikasi", "setujui", ""),
            ("setujui", "gabung", ""),
            ("minta", "gabung", ""),
            ("gabung", "serahkan", ""),
            ("serahkan", "selesai", ""),
        ],
    )


def optional_step() -> bytes:
    """A survey done only when needed: the default flow skips it; no step numbers, no flow names."""
    return diagram(
        {"Loket": ["mulai", "catat", "gw", "gabung", "terbit", "selesai"], "Surveyor": ["survei"]},
        [
            START,
            task("catat", "Mencatat permohonan izin", 5),
            ("exclusiveGateway", "gw", "Perlu survei?", {}),
            ("exclusiveGateway", "gabung", "", {}),
            task("terbit", "Menerbitkan surat keterangan", 10),
            task("survei", "Melakukan survei lapangan", 60),
            END,
        ],
        [
            ("mulai", "catat", ""),
            ("catat", "gw", ""),
            ("gw", "gabung", ""),
            ("gw", "survei", ""),
            ("survei", "gabung", ""),
            ("gabung", "terbit", ""),
            ("terbit", "selesai", ""),
        ],
    )


def loop_back() -> bytes:
    """A check that sends the work back two steps; step numbers under ``nomor_langkah``."""
    return diagram(
        {
            "Operator": ["mulai", "siapkan", "gabung", "olah"],
            "Kasi": ["periksa", "gw", "kirim", "selesai"],
        },
        [
            START,
            task("siapkan", "Menyiapkan bahan", 5, None, nomor_langkah="1"),
            ("exclusiveGateway", "gabung", "", {}),
            task("olah", "Mengolah data", 30, None, nomor_langkah="2"),
            task("periksa", "Memeriksa hasil olahan", 10, None, nomor_langkah="3"),
            ("exclusiveGateway", "gw", "Sesuai?", {}),
            ("serviceTask", "kirim", "Mengirim hasil", {}),
            END,
        ],
        [
            ("mulai", "siapkan", ""),
            ("siapkan", "gabung", ""),
            ("gabung", "olah", ""),
            ("olah", "periksa", ""),
            ("periksa", "gw", ""),
            ("gw", "kirim", "Sesuai"),
            ("gw", "gabung", "Perlu perbaikan"),
            ("kirim", "selesai", ""),
        ],
    )


def long_chain(count: int, actors: int = 3) -> bytes:
    """``count`` steps over ``actors`` lanes, every fifth one a check that sends the work back."""
    lanes: dict[str, list[str]] = {"Loket": ["mulai", "selesai"], "Operator": [], "Kasi": []}
    lanes |= {f"Petugas {n}": [] for n in range(4, actors + 1)}
    nodes: list[Node] = [START, END]
    flows: list[FlowSpec] = []
    previous = "mulai"
    for number in range(1, count + 1):
        node = f"t{number}"
        lane = list(lanes)[number % len(lanes)]
        lanes[lane].append(node)
        nodes.append(task(node, f"Kegiatan nomor {number} dalam layanan", 5 + number, number))
        flows.append((previous, node, ""))
        previous = node
        if number % 5 == 0:
            gateway = f"gw{number}"
            lanes[lane].append(gateway)
            nodes.append(("exclusiveGateway", gateway, "Sesuai?", {}))
            flows += [(node, gateway, ""), (gateway, f"t{number + 1}", "Ya")]
            flows.append((gateway, f"t{number - 2}", "Tidak"))
            previous = ""
    if previous:
        flows.append((previous, "selesai", ""))
    else:
        flows[-2] = (flows[-2][0], "selesai", "Ya")
    return diagram(lanes, nodes, [f for f in flows if f[0]])


def many_choices(count: int, note: str = "") -> bytes:
    """``count`` choices in a row between two steps, each over automatic work, rejoining."""
    first = task("awal", "Menerima permohonan", 5, 1, **({"remarks": note} if note else {}))
    nodes: list[Node] = [START, END, first, task("akhir", "Menyerahkan hasil", 5, 2)]
    flows: list[FlowSpec] = [("mulai", "awal", "")]
    previous = "awal"
    for n in range(count):
        nodes += [
            ("exclusiveGateway", f"pilih{n}", "Jenis?", {}),
            ("serviceTask", f"cepat{n}", "Memproses cepat", {}),
            ("serviceTask", f"biasa{n}", "Memproses biasa", {}),
            ("exclusiveGateway", f"gabung{n}", "", {}),
        ]
        flows += [
            (previous, f"pilih{n}", ""),
            (f"pilih{n}", f"cepat{n}", f"Cepat {n}"),
            (f"pilih{n}", f"biasa{n}", f"Biasa {n}"),
            (f"cepat{n}", f"gabung{n}", ""),
            (f"biasa{n}", f"gabung{n}", ""),
        ]
        previous = f"gabung{n}"
    flows += [(previous, "akhir", ""), ("akhir", "selesai", "")]
    return diagram({"Loket": ["mulai", "awal", "akhir", "selesai"]}, nodes, flows)


def fork() -> bytes:
    """Two checks done at the same time (a parallel gateway), then the decision."""
    return diagram(
        {
            "Loket": ["mulai", "terima", "bagi", "gabung", "putus", "selesai"],
            "Teknis": ["cek_a", "cek_b"],
        },
        [
            START,
            task("terima", "Menerima berkas", 5),
            ("parallelGateway", "bagi", "", {}),
            task("cek_a", "Memeriksa berkas teknis", 20),
            task("cek_b", "Memeriksa berkas administrasi", 10),
            ("parallelGateway", "gabung", "", {}),
            task("putus", "Memutuskan permohonan", 5),
            END,
        ],
        [
            ("mulai", "terima", ""),
            ("terima", "bagi", ""),
            ("bagi", "cek_a", ""),
            ("bagi", "cek_b", ""),
            ("cek_a", "gabung", ""),
            ("cek_b", "gabung", ""),
            ("gabung", "putus", ""),
            ("putus", "selesai", ""),
        ],
    )
