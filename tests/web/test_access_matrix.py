"""Every route, called as every role and as an anonymous visitor, answers as the matrix says.

The matrix is built from ``app.url_map``: a route that is not in it fails the
test, so a new route cannot be added without deciding who may call it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from engine.archive import store_document
from engine.models import User
from tests.web.conftest import PDF, ROLES, open_task, sign_in, sign_out
from web import tracking

ALL = frozenset(ROLES)
OVERSEERS = frozenset({"manajer", "admin"})
ANALYSTS = frozenset({"analis", "admin"})  # the demo admin also holds analis and manajer
MANAGERS = frozenset({"manajer", "admin"})
ADMINS = frozenset({"admin"})
#: of the request in the fixture: registered by the Sekretariat, waiting for the Kepala Dinas
PARTICIPANTS = frozenset({"sekretariat", "kepala_dinas"}) | OVERSEERS
TASK_HOLDERS = frozenset({"kepala_dinas"})
#: camunda:candidateStarterGroups of permohonan_data_agregat, and administrators
STARTERS = frozenset({"sekretariat", "admin"})

PUBLIC, LOGIN, API = "public", "login", "api"


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    anonymous: str  # PUBLIC: answered; LOGIN: redirected to the sign-in page; API: 401


COMPLAINT_DESK = frozenset({"petugas_pengaduan"})
#: the desk and leadership (the demo admin also holds manajer)
COMPLAINT_LOG_READERS = COMPLAINT_DESK | {"kabid_piak", "kepala_dinas", "manajer", "admin"}

MATRIX: dict[str, Rule] = {
    "home.index": Rule(ALL, PUBLIC),
    "auth.login": Rule(ALL, PUBLIC),
    "auth.logout": Rule(ALL, LOGIN),
    "auth.language": Rule(ALL, PUBLIC),
    "auth.password": Rule(ALL, LOGIN),
    # one's own API tokens (revoking another user's token is a 404, as for a token that is not there)
    "tokens.index": Rule(ALL, LOGIN),
    "tokens.revoke": Rule(ALL, LOGIN),
    "inbox.index": Rule(ALL, LOGIN),
    # the services page lists what one may start; the fixture's process names the Sekretariat
    "services.index": Rule(ALL, LOGIN),
    "services.start": Rule(STARTERS, LOGIN),
    "inbox.task": Rule(TASK_HOLDERS, LOGIN),
    "inbox.complete": Rule(TASK_HOLDERS, LOGIN),
    "inbox.preview": Rule(TASK_HOLDERS, LOGIN),
    "inbox.claim": Rule(TASK_HOLDERS, LOGIN),
    "inbox.unclaim": Rule(TASK_HOLDERS | {"admin"}, LOGIN),
    "requests.register": Rule(frozenset({"sekretariat"}), LOGIN),
    # the buku agenda: kept by the Sekretariat, checked by managers; the receipt for the applicant
    "agenda.index": Rule(frozenset({"sekretariat"}) | MANAGERS, LOGIN),
    "agenda.export_csv": Rule(frozenset({"sekretariat"}) | MANAGERS, LOGIN),
    "agenda.export_pdf": Rule(frozenset({"sekretariat"}) | MANAGERS, LOGIN),
    "agenda.receipt": Rule(frozenset({"sekretariat"}) | ADMINS, LOGIN),
    # the register of outgoing letters: the Sekretariat and the JFU send them, managers check
    "agenda.outgoing_index": Rule(frozenset({"sekretariat", "jfu"}) | MANAGERS, LOGIN),
    "agenda.outgoing_csv": Rule(frozenset({"sekretariat", "jfu"}) | MANAGERS, LOGIN),
    "requests.public_form": Rule(ALL, PUBLIC),
    # the portal's form per public process (the fixture's process is not public: 404 for all)
    "portal.index": Rule(ALL, PUBLIC),
    "portal.form": Rule(ALL, PUBLIC),
    "portal.sent": Rule(ALL, PUBLIC),
    "requests.public_sent": Rule(ALL, PUBLIC),
    "requests.track": Rule(ALL, PUBLIC),
    "requests.status": Rule(ALL, PUBLIC),
    "requests.download": Rule(ALL, PUBLIC),
    "verification.show": Rule(ALL, PUBLIC),
    "verification.upload": Rule(ALL, PUBLIC),
    "instances.index": Rule(OVERSEERS, LOGIN),
    "instances.show": Rule(PARTICIPANTS, LOGIN),
    "instances.history_pdf": Rule(OVERSEERS, LOGIN),
    "instances.dataset_export": Rule(PARTICIPANTS, LOGIN),
    "instances.document": Rule(PARTICIPANTS, LOGIN),
    "instances.document_page": Rule(PARTICIPANTS, LOGIN),
    "models.index": Rule(ANALYSTS, LOGIN),
    "models.show": Rule(ANALYSTS, LOGIN),
    "models.download": Rule(ANALYSTS, LOGIN),
    "models.sop_paper": Rule(ANALYSTS, LOGIN),
    "models.template_file": Rule(ANALYSTS, LOGIN),
    "models.editor": Rule(ANALYSTS, LOGIN),
    "models.validate": Rule(ANALYSTS, LOGIN),
    "models.deploy": Rule(ANALYSTS, LOGIN),
    "models.preview": Rule(ANALYSTS, LOGIN),
    "models.roles": Rule(ANALYSTS, LOGIN),
    "models.decision_editor": Rule(ANALYSTS, LOGIN),
    "models.decision_validate": Rule(ANALYSTS, LOGIN),
    "models.decision_deploy": Rule(ANALYSTS, LOGIN),
    "models.upload": Rule(ANALYSTS, LOGIN),
    "dashboard.index": Rule(MANAGERS, LOGIN),
    "dashboard.steps_csv": Rule(MANAGERS, LOGIN),
    "admin.users": Rule(frozenset({"admin"}), LOGIN),
    "admin.new_user": Rule(frozenset({"admin"}), LOGIN),
    "admin.edit_user": Rule(frozenset({"admin"}), LOGIN),
    "admin.roles": Rule(frozenset({"admin"}), LOGIN),
    "admin.new_role": Rule(frozenset({"admin"}), LOGIN),
    "admin.edit_role": Rule(frozenset({"admin"}), LOGIN),
    # acting officials: everyone sees and sets their own (an administrator everyone's); ending
    # another's delegation is refused by the engine (the fixture has none: 404 for everybody)
    "delegations.index": Rule(ALL, LOGIN),
    "delegations.new": Rule(ALL, LOGIN),
    "delegations.end": Rule(ALL, LOGIN),
    # the matrix's task is the Kepala Dinas's (no bidang): administrators only; a Kabid reassigns
    # his bidang's tasks (tests/web/test_roles_delegations_pages.py)
    "inbox.reassign": Rule(ADMINS, LOGIN),
    # one's own notification centre (marking another's notification read is a 404)
    "notifications.index": Rule(ALL, LOGIN),
    "notifications.mark_read": Rule(ALL, LOGIN),
    "notifications.open_target": Rule(ALL, LOGIN),
    "notifications.mark_all_read": Rule(ALL, LOGIN),
    "api.openapi": Rule(ALL, PUBLIC),
    "api.tasks": Rule(ALL, API),
    "api.task": Rule(TASK_HOLDERS, API),
    "api.complete": Rule(TASK_HOLDERS, API),
    "api.claim": Rule(TASK_HOLDERS, API),
    "api.unclaim": Rule(TASK_HOLDERS | {"admin"}, API),
    "api.instances": Rule(OVERSEERS, API),
    "api.instance": Rule(PARTICIPANTS, API),
    "api.history": Rule(PARTICIPANTS, API),
    "api.messages": Rule(ANALYSTS, API),
    "api.start_instance": Rule(STARTERS, API),
    # the complaint procedure: public intake and status; the desk's staff form; the log book for the
    # desk and leadership (never the unit complained about)
    "complaints.public_form": Rule(ALL, PUBLIC),
    "complaints.public_sent": Rule(ALL, PUBLIC),
    "complaints.status": Rule(ALL, PUBLIC),
    "complaints.staff_form": Rule(COMPLAINT_DESK, LOGIN),
    "complaints.logbook": Rule(COMPLAINT_LOG_READERS, LOGIN),
    "complaints.log_export": Rule(COMPLAINT_LOG_READERS, LOGIN),
    "complaints.recap": Rule(COMPLAINT_LOG_READERS, LOGIN),
    "complaints.detail": Rule(COMPLAINT_LOG_READERS, LOGIN),
    # the operations console: analysts and administrators; editing a failed step's data,
    # skipping it, moving a request back or forward and migrating requests are for administrators
    "console.index": Rule(ANALYSTS, LOGIN),
    "console.incident": Rule(ANALYSTS, LOGIN),
    "console.retry": Rule(ANALYSTS, LOGIN),
    "console.edit_retry": Rule(ADMINS, LOGIN),
    "console.skip": Rule(ADMINS, LOGIN),
    "console.instance": Rule(ANALYSTS, LOGIN),
    "console.suspend": Rule(ANALYSTS, LOGIN),
    "console.resume": Rule(ANALYSTS, LOGIN),
    "console.terminate": Rule(ANALYSTS, LOGIN),
    "console.move": Rule(ADMINS, LOGIN),
    "console.move_forward": Rule(ADMINS, LOGIN),
    "console.versions": Rule(ANALYSTS, LOGIN),
    "console.migrate": Rule(ADMINS, LOGIN),
    "api.incidents": Rule(ANALYSTS, API),
    "api.incident": Rule(ANALYSTS, API),
    "api.incident_retry": Rule(ANALYSTS, API),
    "api.incident_skip": Rule(ADMINS, API),
    "api.instance_suspend": Rule(ANALYSTS, API),
    "api.instance_resume": Rule(ANALYSTS, API),
    "api.instance_terminate": Rule(ANALYSTS, API),
    "api.instance_move": Rule(ADMINS, API),
    "api.process_diff": Rule(ANALYSTS, API),
    "api.migration_preview": Rule(ANALYSTS, API),
    "api.migration": Rule(ADMINS, API),
}


@pytest.fixture
def url_args(app, engine, started):
    task = open_task(engine, started.id, "disposisi_kadin")
    with engine.db.transaction() as session:
        doc = store_document(
            session, kind="surat_masuk", filename="surat.pdf", content=PDF, instance_id=started.id
        )
        jfu = session.query(User).filter_by(username="jfu").one()
        args = {
            "task_id": task.id,
            "instance_id": started.id,
            "document_id": doc.id,
            "user_id": jfu.id,
            "process_id": "permohonan_data_agregat",
            "version": 1,
            "code": "TESTKODE23",
            "fmt": "csv",
            "complaint_id": 1,
            "incident_id": 1,
            "page": 1,
            "token_id": 1,
            "role_code": "kasi",
            "delegation_id": 1,
            "filename": "klasifikasi_pengaduan.dmn",
            "notification_id": 1,
        }
    with app.test_request_context():
        args["token"] = tracking.download_token("TESTKODE23", doc.id)
    return args


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method


def _call(client, app, rule, method, args, identity):
    sign_out(client)
    if identity is not None:
        sign_in(client, app, identity)
    url = rule.build({k: v for k, v in args.items() if k in rule.arguments})[1]
    return client.open(url, method=method, data={} if method == "POST" else None)


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - set(MATRIX) == set(), "add the new routes to MATRIX (who may call them?)"
    assert set(MATRIX) - endpoints == set(), "MATRIX names routes that no longer exist"


def test_every_role_gets_what_the_matrix_says(app, client, url_args):
    failures = []
    for rule, method in _routes(app):
        expected = MATRIX[rule.endpoint]
        for role in ROLES:
            response = _call(client, app, rule, method, url_args, role)
            status = response.status_code
            if role in expected.allowed:
                ok = (
                    status not in (401, 403)
                    and status < 500
                    and "/masuk" not in response.headers.get("Location", "")
                )
            else:
                ok = status == 403 and b"Bappeda" not in response.data
            if not ok:
                failures.append(f"{method} {rule.rule} as {role}: {status}")
    assert failures == [], "\n".join(failures)


def test_anonymous_visitors_get_what_the_matrix_says(app, client, url_args):
    failures = []
    for rule, method in _routes(app):
        response = _call(client, app, rule, method, url_args, None)
        status, location = response.status_code, response.headers.get("Location", "")
        expected = MATRIX[rule.endpoint].anonymous
        ok = {
            PUBLIC: status not in (401, 403) and status < 500,
            LOGIN: status == 302 and "/masuk" in location,
            API: status == 401 and response.is_json,
        }[expected]
        if not ok:
            failures.append(f"{method} {rule.rule} anonymous: {status} {location}")
    assert failures == [], "\n".join(failures)


def test_a_refused_attempt_does_not_make_a_participant(app, client, engine, started, url_args):
    sign_in(client, app, "operator")
    client.post(f"/tugas/{url_args['task_id']}", data={"kadin_keputusan": "teruskan"})
    assert client.get(f"/riwayat/{started.id}").status_code == 403
