"""Documents name an acting official: the delegate signs as "Plh. KEPALA DINAS ..."."""

from __future__ import annotations

from reports import gather
from reports.layout import Official
from tests.factories import gen_form


def test_a_plh_signs_the_letter_and_the_history_says_on_behalf(engine, actions):
    instance = actions.start()
    actions.complete(instance.id, "registrasi_surat")
    with engine.db.Session() as session:
        head = gather.head_of_office(session, instance.id)
    assert head.position == Official().position  # nobody acted yet: the office's head title
    day = engine.delegations.today()
    engine.delegations.create("kepala_dinas", "kabid_piak", "plh", day, day, "Dinas luar", "admin")
    task = actions.open_task(instance.id, "disposisi_kadin")
    engine.complete(task.id, "kabid_piak", gen_form("disposisi_kadin"))
    with engine.db.Session() as session:
        head = gather.head_of_office(session, instance.id)
        events = gather.audit_events(session, instance.id)
    assert head.name == "Rina Kusumawati, S.Kom."
    assert head.position == f"Plh. {Official().position}"
    done = [
        e for e in events if e["element_id"] == "disposisi_kadin" and e["action"] == "completed"
    ]
    assert done[0]["acting"] == "Plh. Kepala Dinas"
