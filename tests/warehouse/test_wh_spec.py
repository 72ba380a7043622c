"""Spec validation: one message per mistake, each naming the field."""

from __future__ import annotations

import pytest

from warehouse.presets import PRESETS, preset_list
from warehouse.spec import MAX_COLUMNS, SpecError, parse_spec

FORM_PRESET_NAMES = [
    "penduduk_kecamatan_jk",
    "penduduk_desa_jk",
    "kelompok_umur_jk",
    "agama",
    "pendidikan",
    "pekerjaan",
    "status_perkawinan",
    "golongan_darah",
    "wajib_ktp",
    "akta_kelahiran",
    "kartu_keluarga",
    "kecamatan_jk_umur",
    "desa_agama",
]


def errors_of(raw) -> list[str]:
    with pytest.raises(SpecError) as caught:
        parse_spec(raw)
    return caught.value.errors


def test_the_presets_are_the_names_the_bpmn_form_uses():
    assert list(PRESETS) == FORM_PRESET_NAMES
    assert [p["name"] for p in preset_list()] == FORM_PRESET_NAMES
    for name in FORM_PRESET_NAMES:
        parse_spec({"preset": name})


def test_a_minimal_spec_gets_the_defaults():
    spec = parse_spec({"dimensions": ["sex"]})
    assert (spec.scope, spec.row_level, spec.measure, spec.period) == (
        "33.04",
        "kecamatan",
        "persons",
        None,
    )
    assert parse_spec('{"dimensions": ["religion"], "period": "2026-2"}').period == "2026-2"


def test_every_mistake_is_reported_with_its_field():
    errors = errors_of(
        {
            "period": "2026-3",
            "scope": "33.05",
            "row_level": "rt",
            "dimensions": ["sex", "agama"],
            "measure": "households",
            "colour": "red",
        }
    )
    fields = sorted(message.split(":", 1)[0] for message in errors)
    assert fields == ["colour", "dimensions[1]", "measure", "period", "row_level", "scope"]
    assert any("agama" in m and "religion" in m for m in errors)  # says what is allowed


@pytest.mark.parametrize(
    "raw, field, words",
    [
        ({"dimensions": []}, "dimensions", "1 sampai 3"),
        (
            {"dimensions": ["sex", "religion", "education", "occupation"]},
            "dimensions",
            "1 sampai 3",
        ),
        ({"dimensions": ["sex", "sex"]}, "dimensions", "sekali"),
        ({"dimensions": "sex"}, "dimensions", "1 sampai 3"),
        (
            {"dimensions": ["sex"], "scope": "33.04.06.1001", "row_level": "kecamatan"},
            "row_level",
            "desa",
        ),
        ({"dimensions": ["sex"], "age_bands": [0, 15]}, "age_bands", "age_group"),
        ({"dimensions": ["age_group"], "age_bands": [5, 15]}, "age_bands", "mulai dari 0"),
        ({"dimensions": ["age_group"], "age_bands": [0, 15, 15]}, "age_bands", "naik"),
        ({"dimensions": ["sex"], "filters": {"religion": [9]}}, "filters.religion", "'9'"),
        ({"dimensions": ["sex"], "filters": {"agama": [1]}}, "filters.agama", "tidak dikenal"),
        ({"dimensions": ["sex"], "filters": {"age_group": [1]}}, "filters.age_group", "age"),
        ({"dimensions": ["sex"], "filters": {"age": {"min": 40, "max": 20}}}, "filters.age", "min"),
        ({"dimensions": ["sex"], "filters": {"age": {"min": -1}}}, "filters.age.min", "0-120"),
        ({"dimensions": ["sex"], "filters": [1]}, "filters", "objek"),
        ({"preset": "penduduk"}, "preset", "tidak dikenal"),
        ({"dimensions": ["sex"], "title": 5}, "title", "teks"),
        (
            {"dimensions": ["occupation", "age_group", "relationship"]},
            "dimensions",
            str(MAX_COLUMNS),
        ),
    ],
)
def test_one_mistake_one_message(raw, field, words):
    errors = errors_of(raw)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{field}:") and words in errors[0], errors[0]


def test_bad_json_text_and_non_objects_are_refused():
    assert errors_of("{dimensions: sex}")[0].startswith("spec: bukan JSON")
    assert errors_of("[1, 2]") == ["spec: harus berupa objek JSON"]


def test_filter_values_may_be_codes_numeric_text_or_labels():
    spec = parse_spec(
        {"dimensions": ["sex"], "filters": {"religion": ["islam", "2", 3], "citizenship": "WNA"}}
    )
    assert spec.filters == {"religion": (1, 2, 3), "citizenship": (2,)}


def test_a_preset_can_be_narrowed_and_a_desa_scope_implies_desa_rows():
    spec = parse_spec({"preset": "agama", "scope": "33.04.06", "period": "2026-1"})
    assert (spec.dimensions, spec.scope, spec.row_level) == (
        ("religion", "sex"),
        "33.04.06",
        "kecamatan",
    )
    assert parse_spec({"preset": "agama", "scope": "33.04.06.1001"}).row_level == "desa"


def test_the_canonical_form_round_trips():
    spec = parse_spec(
        {
            "dimensions": ["age_group", "sex"],
            "age_bands": [0, 15, 65],
            "filters": {"religion": [1], "age": {"min": 10}},
            "title": "Uji",
        }
    )
    assert parse_spec(spec.as_dict()) == spec
