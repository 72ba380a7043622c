"""Plain-text rendering of results and stats for the terminal."""

from __future__ import annotations

from typing import Any

from .export import ROW_HEADERS, SUPPRESSED_MARK


def thousands(value: int | None) -> str:
    """Indonesian grouping: 1.071.977; suppressed cells as x."""
    return SUPPRESSED_MARK if value is None else f"{value:,}".replace(",", ".")


def _grid(header: list[str], lines: list[list[str]], left_columns: int) -> str:
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        cells = [
            v.ljust(w) if i < left_columns else v.rjust(w)
            for i, (v, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines[:-1]), rule, fmt(lines[-1])])


def render_result(result: dict[str, Any]) -> str:
    period = result["period"]
    columns = result["columns"]
    header = ["Kode", ROW_HEADERS[result["row_level"]], *columns, "Jumlah"]
    lines = [
        [
            row["code"],
            row["name"],
            *(thousands(row["cells"][c]) for c in columns),
            thousands(row["total"]),
        ]
        for row in result["rows"]
    ]
    totals = result["column_totals"]
    lines.append(
        ["", "Jumlah", *(thousands(totals[c]) for c in columns), thousands(result["grand_total"])]
    )
    heading = [
        result["title"],
        f"{result['scope']['name']} - {period['label']} (keadaan {period['cutoff']})",
        "",
    ]
    notes = ["", *result["notes"]]
    return "\n".join([*heading, _grid(header, lines, 2), *notes])


def render_stats(stats: dict[str, Any]) -> str:
    if stats["period"] is None:
        return "Gudang data masih kosong; jalankan `laksana warehouse build`."
    header = ["Kode", "Kecamatan", "Penduduk", "Laki-laki", "Perempuan", "KK"]
    keys = ("persons", "male", "female", "families")
    lines = [
        [k["code"], k["name"], *(thousands(k[key]) for key in keys)] for k in stats["kecamatan"]
    ]
    lines.append(["", "Jumlah", *(thousands(stats[key]) for key in keys)])
    return "\n".join(
        [
            f"Gudang data - {stats['period']['label']} (keadaan {stats['period']['cutoff']})",
            "",
            _grid(header, lines, 2),
        ]
    )
