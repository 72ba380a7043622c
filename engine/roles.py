"""Roles as data: the codes diagrams name and people hold, with the names people read.

The engine compares role codes; the ``roles`` table gives each code its name (Bahasa Indonesia),
its bidang and whether it is in use. Deploying a diagram that names a code the table does not
know is refused (``unknown_role_issues``) unless the analyst asks to create the missing roles.
Pages and the CLI reach the table through ``BpmnEngine.accounts.roles`` (:class:`Roles`), which
answers plain :class:`RoleView` values.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import Database
from .errors import Conflict, EngineError, NotFound
from .models import Role

#: a role code: what a lane name or a candidate group becomes (``engine.parser.role_code``)
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class RoleView:
    code: str
    name: str
    bidang: str
    active: bool
    #: heads its bidang (Kepala Bidang): may reassign the open tasks of the bidang's roles
    heads_bidang: bool = False

    @classmethod
    def of(cls, row: Role) -> RoleView:
        return cls(row.code, row.name, row.bidang or "", bool(row.active), bool(row.heads_bidang))


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE_PATTERN.match(code):
        raise EngineError(
            f"kode peran '{code}' tidak sah: huruf kecil, angka dan garis bawah, "
            "diawali huruf atau angka, paling panjang 64"
        )
    return code


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise EngineError("nama peran wajib diisi")
    if len(name) > 200:
        raise EngineError("nama peran paling panjang 200 karakter")
    return name


def known_codes(session: Session) -> set[str]:
    """Every role code in the table (active or not: a deactivated role is still known)."""
    return set(session.scalars(select(Role.code)))


def add_role(
    session: Session, code: str, name: str, bidang: str = "", heads_bidang: bool = False
) -> Role:
    code, name = check_code(code), check_name(name)
    if session.scalars(select(Role).where(Role.code == code)).first() is not None:
        raise Conflict(f"peran '{code}' sudah ada")
    bidang = (bidang or "").strip()[:200]
    if heads_bidang and not bidang:
        raise EngineError(f"peran '{code}' memimpin bidang, tetapi bidangnya belum diisi")
    role = Role(code=code, name=name, bidang=bidang, heads_bidang=heads_bidang, active=True)
    session.add(role)
    session.flush()
    return role


def ensure_roles(session: Session, roles: Iterable[tuple[str, str, str]]) -> list[str]:
    """Add the (code, name, bidang) not in the table yet; the codes added (seeds, deploys)."""
    have = known_codes(session)
    added = []
    for code, name, bidang in roles:
        if code not in have:
            add_role(session, code, name, bidang)
            have.add(code)
            added.append(code)
    return added


class Roles:
    """``BpmnEngine.accounts.roles``: the administrators' role pages and ``laksana roles``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self, active_only: bool = False) -> list[RoleView]:
        with self.db.Session() as session:
            query = select(Role).order_by(Role.code)
            if active_only:
                query = query.where(Role.active.is_(True))
            return [RoleView.of(r) for r in session.scalars(query)]

    def labels(self) -> dict[str, str]:
        """code -> name of every role (inactive ones too: old tasks and history still name them)."""
        with self.db.Session() as session:
            return {code: name for code, name in session.execute(select(Role.code, Role.name))}

    def get(self, code: str) -> RoleView | None:
        with self.db.Session() as session:
            row = session.scalars(select(Role).where(Role.code == code)).first()
            return RoleView.of(row) if row is not None else None

    def add(self, code: str, name: str, bidang: str = "", heads_bidang: bool = False) -> RoleView:
        with self.db.transaction() as session:
            return RoleView.of(add_role(session, code, name, bidang, heads_bidang))

    def ensure(self, roles: Iterable[tuple[str, str, str]]) -> builtins.list[str]:
        with self.db.transaction() as session:
            return ensure_roles(session, roles)

    def edit(
        self,
        code: str,
        name: str | None = None,
        bidang: str | None = None,
        active: bool | None = None,
        heads_bidang: bool | None = None,
    ) -> RoleView:
        with self.db.transaction() as session:
            row = session.scalars(select(Role).where(Role.code == code)).first()
            if row is None:
                raise NotFound(f"peran '{code}' tidak ada")
            if name is not None:
                row.name = check_name(name)
            if bidang is not None:
                row.bidang = bidang.strip()[:200]
            if active is not None:
                row.active = active
            if heads_bidang is not None:
                row.heads_bidang = heads_bidang
            if row.heads_bidang and not row.bidang:
                raise EngineError(f"peran '{code}' memimpin bidang, tetapi bidangnya belum diisi")
            session.flush()
            return RoleView.of(row)

    def deactivate(self, code: str) -> RoleView:
        return self.edit(code, active=False)
