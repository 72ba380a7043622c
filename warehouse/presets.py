"""The standard DAK tables as named presets (the BPMN form's enum uses these names)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Preset:
    name: str
    label: str  # Indonesian, for lists and forms
    spec: dict[str, Any]
    #: the name says the row level (e.g. penduduk_desa_jk): a form's level choice does not change it
    fixed_level: bool = False


def _preset(
    name: str, label: str, row_level: str, dims: list[str], measure: str = "persons"
) -> Preset:
    fixed = "kecamatan" in name or "desa" in name
    return Preset(
        name, label, {"row_level": row_level, "dimensions": dims, "measure": measure}, fixed
    )


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        _preset(
            "penduduk_kecamatan_jk",
            "Penduduk per kecamatan menurut jenis kelamin",
            "kecamatan",
            ["sex"],
        ),
        _preset(
            "penduduk_desa_jk", "Penduduk per desa/kelurahan menurut jenis kelamin", "desa", ["sex"]
        ),
        _preset(
            "kelompok_umur_jk",
            "Penduduk menurut kelompok umur dan jenis kelamin",
            "kecamatan",
            ["age_group", "sex"],
        ),
        _preset(
            "agama", "Penduduk menurut agama dan jenis kelamin", "kecamatan", ["religion", "sex"]
        ),
        _preset(
            "pendidikan",
            "Penduduk menurut pendidikan dan jenis kelamin",
            "kecamatan",
            ["education", "sex"],
        ),
        _preset(
            "pekerjaan",
            "Penduduk menurut pekerjaan dan jenis kelamin",
            "kecamatan",
            ["occupation", "sex"],
        ),
        _preset(
            "status_perkawinan",
            "Penduduk menurut status perkawinan dan jenis kelamin",
            "kecamatan",
            ["marital_status", "sex"],
        ),
        _preset("golongan_darah", "Penduduk menurut golongan darah", "kecamatan", ["blood_type"]),
        _preset(
            "wajib_ktp",
            "Penduduk wajib KTP menurut jenis kelamin",
            "kecamatan",
            ["wajib_ktp", "sex"],
        ),
        _preset(
            "akta_kelahiran",
            "Kepemilikan akta kelahiran menurut jenis kelamin",
            "kecamatan",
            ["birth_certificate", "sex"],
        ),
        _preset(
            "kartu_keluarga",
            "Kartu keluarga per wilayah menurut jenis kelamin kepala keluarga",
            "kecamatan",
            ["sex"],
            "families",
        ),
        _preset(
            "kecamatan_jk_umur",
            "Penduduk per kecamatan menurut jenis kelamin dan kelompok umur",
            "kecamatan",
            ["sex", "age_group"],
        ),
        _preset("desa_agama", "Penduduk per desa/kelurahan menurut agama", "desa", ["religion"]),
    )
}


def preset_list() -> list[dict[str, Any]]:
    """Every preset as {name, label, spec}, in the standard order."""
    return [{"name": p.name, "label": p.label, "spec": dict(p.spec)} for p in PRESETS.values()]
