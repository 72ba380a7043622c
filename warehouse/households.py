"""Families (kartu keluarga) assembled from the drawn people.

Married men and women of a kecamatan are paired by age rank (husbands come
out a few years older); widowed, divorced and unpaired married adults head
their own card; unmarried people join a family whose mother is 16-48 years
older (else a grandparent's, else a relative's card, else their own); some
widowed elders live with a child's family (ORANGTUA/MERTUA) and some young
couples with the wife's parents (MENANTU). Every card has exactly one head.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import profiles
from .population import People
from .sampling import match_in_buckets, rank_within_groups, rounded_normal

HEAD, HUSBAND, WIFE, CHILD, IN_LAW, GRANDCHILD, PARENT, PARENT_IN_LAW, RELATIVE = range(1, 10)
FEMALE_HEADED_COUPLES = 0.015
PLACEMENT_ATTEMPTS = 6
MAX_CHILDREN = 7
_KEY = 1000  # bucket key = kecamatan * _KEY + age
# Relationship of a member once their family moves into the wife's parents' card.
_MOVED_RELATIONSHIP = np.array(
    [0, IN_LAW, IN_LAW, CHILD, GRANDCHILD, RELATIVE, RELATIVE, RELATIVE, RELATIVE, RELATIVE, 10, 11]
)


@dataclass
class Households:
    household: np.ndarray  # per person: family index 0..H-1
    relationship: np.ndarray  # per person: SIAK shdk code
    head: np.ndarray  # per family: the head's person index

    @property
    def count(self) -> int:
        return len(self.head)


class _Builder:
    def __init__(self, rng: np.random.Generator, people: People) -> None:
        self.rng, self.people = rng, people
        self.household = np.full(len(people), -1, dtype=np.int64)
        self.relationship = np.zeros(len(people), dtype=np.int8)
        self.heads: list[np.ndarray] = []
        self.mother_ages: list[np.ndarray] = []
        self.couples = 0

    # -- households and their lookup keys ------------------------------------------------
    def open_households(self, heads: np.ndarray, mother_ages: np.ndarray) -> np.ndarray:
        ids = sum(len(h) for h in self.heads) + np.arange(len(heads))
        self.household[heads] = ids
        self.relationship[heads] = HEAD
        self.heads.append(heads)
        self.mother_ages.append(np.asarray(mother_ages, dtype=np.int64))
        return ids

    def head_index(self) -> np.ndarray:
        return np.concatenate(self.heads)

    def keys_by_mother_age(self) -> np.ndarray:
        kecamatan = self.people.kecamatan[self.head_index()].astype(np.int64)
        return kecamatan * _KEY + np.clip(np.concatenate(self.mother_ages), 0, _KEY - 1)

    def keys_by_head_age(self) -> np.ndarray:
        heads = self.head_index()
        return self.people.kecamatan[heads].astype(np.int64) * _KEY + self.people.age[heads]

    def wanted_keys(self, persons: np.ndarray, ages: np.ndarray) -> np.ndarray:
        return self.people.kecamatan[persons].astype(np.int64) * _KEY + np.clip(ages, 0, _KEY - 1)

    def join(self, persons: np.ndarray, households: np.ndarray, relationship) -> None:
        self.household[persons] = households
        self.relationship[persons] = relationship

    # -- the steps ---------------------------------------------------------------------
    def pair_couples(self) -> None:
        people, rng = self.people, self.rng
        married = people.marital == 2
        men, women = self._balanced(
            np.flatnonzero(married & (people.sex == 1)), np.flatnonzero(married & (people.sex == 2))
        )
        men = men[
            np.lexsort((people.age[men] + rng.normal(0, 1.5, len(men)), people.kecamatan[men]))
        ]
        women = women[
            np.lexsort(
                (people.age[women] + rng.normal(0, 1.5, len(women)), people.kecamatan[women])
            )
        ]
        wife_heads = rng.random(len(men)) < FEMALE_HEADED_COUPLES
        heads, partners = np.where(wife_heads, women, men), np.where(wife_heads, men, women)
        ids = self.open_households(heads, people.age[women])
        self.join(partners, ids, np.where(wife_heads, HUSBAND, WIFE))
        self.couples = len(ids)

    def _balanced(self, men: np.ndarray, women: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """As many married men as married women per kecamatan (the rest have a spouse away)."""
        kecamatan = self.people.kecamatan
        size = int(kecamatan.max()) + 1
        keep = np.minimum(
            np.bincount(kecamatan[men], minlength=size),
            np.bincount(kecamatan[women], minlength=size),
        )
        return self._random_subset(men, keep), self._random_subset(women, keep)

    def _random_subset(self, members: np.ndarray, keep_per_kecamatan: np.ndarray) -> np.ndarray:
        shuffled = members[self.rng.permutation(len(members))]
        groups = self.people.kecamatan[shuffled]
        return shuffled[rank_within_groups(groups) < keep_per_kecamatan[groups]]

    def settle_single_adults(self) -> np.ndarray:
        """Ever-married adults without a partner head a card; returns the elders who move in."""
        people = self.people
        unplaced_adults = (self.household < 0) & (people.marital != 1)
        moves_in = (people.age >= profiles.ELDER_AGE) & (people.marital != 2)
        moves_in &= self.rng.random(len(people)) < profiles.ELDER_MOVES_IN
        heads = np.flatnonzero(unplaced_adults & ~moves_in)
        self.open_households(
            heads, np.where(people.sex[heads] == 2, people.age[heads], people.age[heads] - 4)
        )
        return np.flatnonzero(unplaced_adults & moves_in)

    def place_children(self) -> np.ndarray:
        """Unmarried people join a mother's card (at most MAX_CHILDREN each); returns the rest."""
        people, rng = self.people, self.rng
        remaining = np.flatnonzero((self.household < 0) & (people.marital == 1))
        keys = self.keys_by_mother_age()
        children = np.zeros(len(keys), dtype=np.int64)
        low, high = profiles.PARENT_AGE_RANGE
        for _ in range(PLACEMENT_ATTEMPTS):
            open_ids = np.flatnonzero(children < MAX_CHILDREN)
            gaps = np.clip(rounded_normal(rng, profiles.PARENT_AGE_GAP, len(remaining)), low, high)
            found = match_in_buckets(
                rng, keys[open_ids], self.wanted_keys(remaining, people.age[remaining] + gaps)
            )
            chosen = np.where(found >= 0, open_ids[np.maximum(found, 0)], -1)
            accepted = chosen >= 0
            accepted[accepted] = (
                rank_within_groups(chosen[accepted]) < MAX_CHILDREN - children[chosen[accepted]]
            )
            self.join(remaining[accepted], chosen[accepted], CHILD)
            children += np.bincount(chosen[accepted], minlength=len(keys))
            remaining = remaining[~accepted]
        return remaining

    def place_orphans(self, remaining: np.ndarray) -> None:
        """Minors go to a grandparent's card (else a relative's); adults head their own."""
        people, rng = self.people, self.rng
        minors = remaining[people.age[remaining] < 18]
        gaps = rounded_normal(rng, profiles.GRANDPARENT_AGE_GAP, len(minors))
        found = match_in_buckets(
            rng, self.keys_by_head_age(), self.wanted_keys(minors, people.age[minors] + gaps)
        )
        self.join(minors[found >= 0], found[found >= 0], GRANDCHILD)
        relatives = minors[found < 0]
        kecamatan_of_households = people.kecamatan[self.head_index()].astype(np.int64)
        hosts = match_in_buckets(
            rng, kecamatan_of_households, people.kecamatan[relatives].astype(np.int64)
        )
        self.join(relatives[hosts >= 0], hosts[hosts >= 0], RELATIVE)
        adults = np.concatenate([remaining[people.age[remaining] >= 18], relatives[hosts < 0]])
        self.open_households(
            adults, np.where(people.sex[adults] == 2, people.age[adults], people.age[adults] - 4)
        )

    def place_elders(self, elders: np.ndarray) -> None:
        people, rng = self.people, self.rng
        gaps = rounded_normal(rng, profiles.ELDER_CHILD_GAP, len(elders))
        found = match_in_buckets(
            rng, self.keys_by_head_age(), self.wanted_keys(elders, people.age[elders] - gaps)
        )
        is_parent = rng.random(len(elders)) < profiles.ELDER_IS_PARENT
        placed = found >= 0
        self.join(elders[placed], found[placed], np.where(is_parent[placed], PARENT, PARENT_IN_LAW))
        alone = elders[~placed]
        self.open_households(
            alone, np.where(people.sex[alone] == 2, people.age[alone], people.age[alone] - 4)
        )

    def merge_young_couples(self) -> None:
        """Some young couples live in the card of the wife's parents."""
        rng = self.rng
        head_ages = self.people.age[self.head_index()]
        total = len(head_ages)
        movers = np.flatnonzero(
            (np.arange(total) < self.couples)
            & (self.people.sex[self.head_index()] == 1)
            & (head_ages < profiles.YOUNG_COUPLE_AGE)
            & (rng.random(total) < profiles.YOUNG_COUPLE_STAYS)
        )
        hosts_allowed = np.setdiff1d(np.arange(total), movers)
        keys = self.keys_by_mother_age()
        wife_ages = np.concatenate(self.mother_ages)[movers]
        gaps = np.clip(
            rounded_normal(rng, profiles.PARENT_AGE_GAP, len(movers)), *profiles.PARENT_AGE_RANGE
        )
        wanted = (keys[movers] // _KEY) * _KEY + np.clip(wife_ages + gaps, 0, _KEY - 1)
        found = match_in_buckets(rng, keys[hosts_allowed], wanted)
        target = np.arange(total)
        target[movers[found >= 0]] = hosts_allowed[found[found >= 0]]
        moved = target[self.household] != self.household
        self.relationship[moved] = _MOVED_RELATIONSHIP[self.relationship[moved]]
        self.household = target[self.household]

    def finish(self) -> Households:
        _, household = np.unique(self.household, return_inverse=True)
        heads = np.flatnonzero(self.relationship == HEAD)
        head = np.empty(int(household.max()) + 1, dtype=np.int64)
        head[household[heads]] = heads
        if len(heads) != len(head):
            raise AssertionError("every family card must have exactly one head")
        return Households(household.astype(np.int32), self.relationship, head)


def build_households(rng: np.random.Generator, people: People) -> Households:
    builder = _Builder(rng, people)
    builder.pair_couples()
    elders = builder.settle_single_adults()
    builder.place_orphans(builder.place_children())
    builder.place_elders(elders)
    builder.merge_young_couples()
    return builder.finish()
