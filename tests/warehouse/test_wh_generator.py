"""The synthetic population: calibrated totals, determinism, valid numbers, plausible people."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from warehouse.generator import generate
from warehouse.identifiers import ages_at, date_parts
from warehouse.regions import kecamatan_population, villages

from .conftest import PERIOD, SCALE, SEED

CUTOFF = date(2026, 6, 30)


def test_kecamatan_and_sex_totals_are_the_published_figures_scaled(population):
    persons = population.persons
    published_total = sum(k.total for k in kecamatan_population())
    assert population.person_count == round(published_total * SCALE)
    for kecamatan in kecamatan_population():
        in_kecamatan = persons["kode_kecamatan"] == kecamatan.code
        male = int(np.sum(in_kecamatan & (persons["jenis_kelamin"] == 1)))
        female = int(np.sum(in_kecamatan & (persons["jenis_kelamin"] == 2)))
        assert abs(male - kecamatan.male * SCALE) < 1
        assert abs(female - kecamatan.female * SCALE) < 1


def test_same_seed_gives_the_same_population_and_another_seed_does_not(population):
    again = generate(SCALE, SEED, PERIOD)
    for name, values in population.persons.items():
        assert np.array_equal(values, again.persons[name]), name
    for name, values in population.families.items():
        assert np.array_equal(values, again.families[name]), name
    other = generate(SCALE, SEED + 1, PERIOD)
    assert not np.array_equal(other.persons["nik"], population.persons["nik"])


def test_niks_follow_the_siak_format(population):
    persons = population.persons
    niks = persons["nik"].astype(str)
    assert len(set(niks)) == len(niks)
    assert all(len(n) == 16 for n in niks)
    kecamatan_digits = np.char.replace(persons["kode_kecamatan"], ".", "")
    assert np.all(np.char.startswith(niks, kecamatan_digits))
    year, month, day = date_parts(persons["tanggal_lahir"])
    women_offset = np.where(persons["jenis_kelamin"] == 2, 40, 0)
    expected_date_part = (day + women_offset) * 10_000 + month * 100 + year % 100
    assert np.array_equal(persons["nik"] // 10_000 % 1_000_000, expected_date_part)


def test_family_card_numbers_are_unique_and_shared_by_the_members(population):
    families, persons = population.families, population.persons
    assert len(np.unique(families["no_kk"])) == population.family_count
    assert np.all(
        families["no_kk"] // 10**10
        == np.char.replace(families["kode_kecamatan"], ".", "").astype(np.int64)
    )
    members = np.unique(persons["no_kk"], return_counts=True)
    assert np.array_equal(members[0], np.sort(families["no_kk"]))
    assert members[1].sum() == population.person_count


def test_every_family_has_one_head_of_realistic_size_in_one_village(population):
    persons = population.persons
    heads = persons["shdk"] == 1
    assert np.array_equal(np.sort(persons["no_kk"][heads]), np.sort(population.families["no_kk"]))
    sizes = population.families["jumlah_anggota"]
    assert 2.6 <= sizes.mean() <= 4.0
    assert sizes.max() <= 15
    assert 0.05 < np.mean(sizes == 1) < 0.2
    village_of_card = dict(
        zip(population.families["no_kk"], population.families["kode_desa"], strict=True)
    )
    assert all(
        village_of_card[kk] == desa
        for kk, desa in zip(persons["no_kk"], persons["kode_desa"], strict=True)
    )


def test_ages_and_birth_dates_agree_at_the_cutoff(population):
    persons = population.persons
    assert np.array_equal(ages_at(persons["tanggal_lahir"], CUTOFF), persons["umur"])


def test_the_age_pyramid_looks_like_central_java(population):
    age = population.persons["umur"]
    assert 0.20 < np.mean(age < 15) < 0.28
    assert 0.06 < np.mean(age >= 65) < 0.11
    bands = np.bincount(np.minimum(age // 5, 15), minlength=16) / len(age)
    assert bands[:10].min() > 0.06  # broad base and middle
    assert bands[15] < bands[10] and bands[14] < bands[12]  # narrowing top


def test_wives_husbands_and_children_are_consistent(population):
    persons = population.persons
    shdk, sex, marital, age = (
        persons["shdk"],
        persons["jenis_kelamin"],
        persons["status_perkawinan"],
        persons["umur"],
    )
    assert np.all(sex[shdk == 3] == 2) and np.all(marital[shdk == 3] == 2)
    assert np.all(sex[shdk == 2] == 1)
    assert np.all(marital[age < 15] == 1)
    head_age = dict(zip(persons["no_kk"][shdk == 1], age[shdk == 1], strict=True))
    children = np.flatnonzero(shdk == 4)
    gaps = np.array([head_age[kk] for kk in persons["no_kk"][children]]) - age[children]
    assert np.median(gaps) > 20 and np.mean(gaps > 10) > 0.95


def test_religion_is_mostly_islam_with_the_minorities_present(population):
    religion = population.persons["agama"]
    assert 0.985 < np.mean(religion == 1) < 0.998
    assert len(set(religion.tolist()) - {1}) >= 3


def test_education_and_work_depend_on_age_sex_and_village_type(population):
    persons = population.persons
    age, education, work = persons["umur"], persons["pendidikan"], persons["pekerjaan"]
    assert np.all(education[age < 5] == 1)
    assert not np.any(education[age < 19] >= 6)
    assert np.all(work[age < 5] == 1)
    adults = age >= 25
    top_jobs = np.argsort(-np.bincount(work[adults]))[:3]
    assert 9 in top_jobs  # PETANI/PEKEBUN
    housewives = np.mean(work[adults & (persons["jenis_kelamin"] == 2)] == 2)
    househusbands = np.mean(work[adults & (persons["jenis_kelamin"] == 1)] == 2)
    assert housewives > 10 * househusbands
    kelurahan = {v.code for v in villages() if v.is_kelurahan}
    urban = np.isin(persons["kode_desa"], list(kelurahan))
    assert np.mean(work[adults & urban] == 9) < np.mean(work[adults & ~urban] == 9) / 2
    assert np.mean(education[adults & urban] >= 5) > np.mean(education[adults & ~urban] >= 5)


def test_marital_status_and_ktp_follow_age(population):
    persons = population.persons
    age, sex, marital, ktp = (
        persons["umur"],
        persons["jenis_kelamin"],
        persons["status_perkawinan"],
        persons["ktp_el"],
    )
    old = age >= 75
    assert np.mean(marital[old & (sex == 2)] == 4) > np.mean(marital[old & (sex == 1)] == 4)
    obliged = (age >= 17) | (marital != 1)
    assert np.all(ktp[~obliged] == 0) and np.all(ktp[obliged] > 0)


def test_every_village_is_populated_and_kelurahan_are_larger(population):
    codes, counts = np.unique(population.persons["kode_desa"], return_counts=True)
    size = dict(zip(codes, counts, strict=True))
    assert set(size) == {v.code for v in villages()}
    town = [v for v in villages() if v.parent == "33.04.06"]
    kelurahan = np.mean([size[v.code] for v in town if v.is_kelurahan])
    desa = np.mean([size[v.code] for v in town if not v.is_kelurahan])
    assert kelurahan > desa


@pytest.mark.parametrize("scale", [0.002, 0.05])
def test_other_scales_keep_the_regency_total(scale):
    generated = generate(scale, SEED, PERIOD)
    assert generated.person_count == round(sum(k.total for k in kecamatan_population()) * scale)
