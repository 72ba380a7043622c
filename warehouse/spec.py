"""Aggregate query specs: validation (one message per mistake, naming the field).

A spec is JSON::

    {"preset": "agama",                 # optional: start from a preset
     "period": "2026-1",                # optional: the newest loaded period
     "scope": "33.04",                  # kabupaten, a kecamatan or a desa code
     "row_level": "kecamatan",          # or "desa"
     "dimensions": ["age_group", "sex"],  # 1 to 3 column dimensions, in order
     "age_bands": [0, 15, 65],          # optional lower bounds (with age_group)
     "filters": {"religion": [1], "age": {"min": 17, "max": 60}},
     "measure": "persons",              # or "families" (counted by head of family)
     "title": "..."}                    # optional

Filter values are SIAK codes (numbers or numeric strings) or their labels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .codes import DEFAULT_AGE_BANDS, MAX_AGE, Dimension, age_dimension, dimensions
from .periods import Period, PeriodError
from .presets import PRESETS
from .regions import KABUPATEN_CODE, region

ROW_LEVELS = ("kecamatan", "desa")
MEASURES = ("persons", "families")
MAX_DIMENSIONS = 3
MAX_COLUMNS = 1000
KNOWN_FIELDS = {
    "preset",
    "period",
    "scope",
    "row_level",
    "dimensions",
    "age_bands",
    "filters",
    "measure",
    "title",
}


class SpecError(ValueError):
    """An invalid spec; ``errors`` holds one message per mistake."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Spec:
    scope: str = KABUPATEN_CODE
    row_level: str = "kecamatan"
    dimensions: tuple[str, ...] = ("sex",)
    period: str | None = None
    age_bands: tuple[int, ...] = DEFAULT_AGE_BANDS
    filters: dict[str, tuple[int, ...]] = field(default_factory=dict)
    age_min: int | None = None
    age_max: int | None = None
    measure: str = "persons"
    preset: str | None = None
    title: str | None = None

    def dimension(self, name: str) -> Dimension:
        return age_dimension(self.age_bands) if name == "age_group" else dimensions()[name]

    def as_dict(self) -> dict[str, Any]:
        """The canonical JSON form (what the query log and datasets keep)."""
        filters: dict[str, Any] = {name: list(codes) for name, codes in self.filters.items()}
        if self.age_min is not None or self.age_max is not None:
            filters["age"] = {
                key: value
                for key, value in (("min", self.age_min), ("max", self.age_max))
                if value is not None
            }
        result: dict[str, Any] = {
            "preset": self.preset,
            "period": self.period,
            "scope": self.scope,
            "row_level": self.row_level,
            "dimensions": list(self.dimensions),
            "filters": filters,
            "measure": self.measure,
        }
        if "age_group" in self.dimensions:
            result["age_bands"] = list(self.age_bands)
        if self.title:
            result["title"] = self.title
        return result


def parse_spec(raw: Any) -> Spec:
    """Validate a spec given as a dict or JSON text; raises :class:`SpecError`."""
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise SpecError([f"spec: bukan JSON yang sah ({exc})"]) from None
    if not isinstance(raw, dict):
        raise SpecError(["spec: harus berupa objek JSON"])
    errors: list[str] = []
    merged = _with_preset(raw, errors)
    errors += [f"{name}: kolom tidak dikenal" for name in sorted(set(raw) - KNOWN_FIELDS)]
    if errors and "dimensions" not in merged:
        raise SpecError(errors)  # an unknown preset: the rest would only repeat the mistake
    checker = _Checker(merged, errors)
    spec = checker.build()
    if not errors and column_count(spec) > MAX_COLUMNS:
        errors.append(
            f"dimensions: tabel akan memiliki {column_count(spec)} kolom; paling banyak {MAX_COLUMNS}"
        )
    if errors:
        raise SpecError(errors)
    return spec


def _with_preset(raw: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    name = raw.get("preset")
    if name is None:
        return dict(raw)
    if name not in PRESETS:
        errors.append(f"preset: '{name}' tidak dikenal; pilih salah satu: {', '.join(PRESETS)}")
        return dict(raw)
    merged = {**PRESETS[name].spec, **raw}
    scope = region(str(merged.get("scope", KABUPATEN_CODE)))
    if "row_level" not in raw and scope is not None and scope.level == "desa":
        merged["row_level"] = "desa"  # a desa has no kecamatan rows: the desa is the one row
    return merged


class _Checker:
    def __init__(self, raw: dict[str, Any], errors: list[str]) -> None:
        self.raw, self.errors = raw, errors

    def fail(self, message: str) -> None:
        self.errors.append(message)

    def build(self) -> Spec:
        scope = self.scope()
        age_min, age_max = self.age_range()
        dims = self.dimensions()
        return Spec(
            scope=scope,
            row_level=self.row_level(scope),
            dimensions=dims,
            period=self.period(),
            age_bands=self.age_bands(dims),
            filters=self.filters(),
            age_min=age_min,
            age_max=age_max,
            measure=self.choice("measure", MEASURES, "persons"),
            preset=self.raw.get("preset") if self.raw.get("preset") in PRESETS else None,
            title=self.title(),
        )

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.raw.get(name, default)
        if value not in allowed:
            self.fail(f"{name}: '{value}' tidak dikenal; pilih {' atau '.join(allowed)}")
            return default
        return value

    def period(self) -> str | None:
        value = self.raw.get("period")
        if value in (None, ""):
            return None
        try:
            return Period.parse(str(value)).code
        except PeriodError as exc:
            self.fail(f"period: {exc}")
            return None

    def scope(self) -> str:
        code = str(self.raw.get("scope") or KABUPATEN_CODE).strip()
        if region(code) is None:
            self.fail(
                f"scope: kode wilayah '{code}' tidak dikenal (contoh: 33.04, 33.04.06, 33.04.06.1001)"
            )
            return KABUPATEN_CODE
        return code

    def row_level(self, scope: str) -> str:
        level = self.choice("row_level", ROW_LEVELS, "kecamatan")
        if level == "kecamatan" and region(scope).level == "desa":
            self.fail(
                "row_level: wilayah desa/kelurahan hanya dapat dirinci per desa; gunakan 'desa'"
            )
        return level

    def dimensions(self) -> tuple[str, ...]:
        value = self.raw.get("dimensions")
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_DIMENSIONS:
            self.fail(f'dimensions: berikan 1 sampai {MAX_DIMENSIONS} dimensi, misalnya ["sex"]')
            return ("sex",)
        known = dimensions()
        for index, name in enumerate(value):
            if name not in known:
                self.fail(
                    f"dimensions[{index}]: dimensi '{name}' tidak dikenal; pilih dari: {', '.join(known)}"
                )
        if len(set(value)) != len(value):
            self.fail("dimensions: setiap dimensi hanya boleh muncul sekali")
        return tuple(name for name in value if name in known)

    def age_bands(self, dims: tuple[str, ...]) -> tuple[int, ...]:
        value = self.raw.get("age_bands")
        if value is None:
            return DEFAULT_AGE_BANDS
        if "age_group" not in dims:
            self.fail("age_bands: hanya berlaku bersama dimensi age_group")
            return DEFAULT_AGE_BANDS
        valid = (
            isinstance(value, list)
            and len(value) >= 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        )
        if (
            not valid
            or value[0] != 0
            or any(b <= a for a, b in zip(value, value[1:], strict=False))
            or value[-1] > MAX_AGE
        ):
            self.fail(
                f"age_bands: batas bawah kelompok umur harus naik, mulai dari 0, paling tinggi {MAX_AGE} (contoh: [0, 15, 65])"
            )
            return DEFAULT_AGE_BANDS
        return tuple(value)

    def filters(self) -> dict[str, tuple[int, ...]]:
        value = self.raw.get("filters") or {}
        if not isinstance(value, dict):
            self.fail('filters: harus berupa objek, misalnya {"religion": [1]}')
            return {}
        result = {}
        for name, wanted in value.items():
            if name == "age":
                continue
            if name not in dimensions() or name == "age_group":
                self.fail(
                    f"filters.{name}: filter tidak dikenal; gunakan nama dimensi (selain age_group) atau 'age'"
                )
                continue
            codes = self.filter_codes(name, wanted)
            if codes:
                result[name] = codes
        return result

    def filter_codes(self, name: str, wanted: Any) -> tuple[int, ...]:
        values = wanted if isinstance(wanted, list) else [wanted]
        by_label = {label.upper(): code for code, label in dimensions()[name].codes.items()}
        codes = []
        for item in values:
            code = _as_code(item, by_label)
            if code is None or code not in dimensions()[name].codes:
                self.fail(f"filters.{name}: nilai '{item}' bukan kode yang dikenal")
            else:
                codes.append(code)
        if not values:
            self.fail(f"filters.{name}: berikan paling sedikit satu kode")
        return tuple(sorted(set(codes)))

    def age_range(self) -> tuple[int | None, int | None]:
        value = (
            (self.raw.get("filters") or {}).get("age")
            if isinstance(self.raw.get("filters"), dict)
            else None
        )
        if value is None:
            return None, None
        if not isinstance(value, dict) or set(value) - {"min", "max"}:
            self.fail('filters.age: gunakan {"min": umur, "max": umur}')
            return None, None
        low, high = value.get("min"), value.get("max")
        for key, bound in (("min", low), ("max", high)):
            if bound is not None and (
                not isinstance(bound, int) or isinstance(bound, bool) or not 0 <= bound <= MAX_AGE
            ):
                self.fail(f"filters.age.{key}: harus bilangan bulat 0-{MAX_AGE}")
                return None, None
        if low is not None and high is not None and low > high:
            self.fail("filters.age: min lebih besar dari max")
        return low, high

    def title(self) -> str | None:
        value = self.raw.get("title")
        if value is not None and (not isinstance(value, str) or len(value) > 200):
            self.fail("title: harus teks, paling panjang 200 karakter")
            return None
        return value or None


def _as_code(item: Any, by_label: dict[str, int]) -> int | None:
    if isinstance(item, bool):
        return None
    if isinstance(item, int):
        return item
    if isinstance(item, str):
        text = item.strip()
        if text.isdigit():
            return int(text)
        return by_label.get(text.upper())
    return None


def column_count(spec: Spec) -> int:
    count = 1
    for name in spec.dimensions:
        count *= len(spec.dimension(name).codes)
    return count
