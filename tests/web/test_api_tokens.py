"""Personal API tokens: made on one's own page or by CLI, shown once, kept as SHA-256, revocable,
expiring; accepted as ``Authorization: Bearer`` on the JSON API. HTTP Basic is remembered for a
minute so a script does not pay argon2 on every request, but never past a password change or a
deactivation."""

from __future__ import annotations

import hashlib
import re

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from engine import accounts as accounts_module
from engine.models import ApiToken, User
from tests.factories import gen_form
from tests.web.conftest import DEMO_PASSWORD, open_task
from tests.web.test_api import basic
from web.cli import cli
from webkit.apiauth import forget_verified

TOKEN = re.compile(r"lks_[A-Za-z0-9_-]{43}")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make_token(client, name="skrip laporan", expires_days="") -> str:
    page = client.post("/akun/token", data={"name": name, "expires_days": expires_days})
    assert page.status_code == 201, page.get_data(as_text=True)
    return TOKEN.search(page.get_data(as_text=True)).group(0)


def test_a_token_made_on_my_page_is_shown_once_and_works_on_the_api(app, as_user, client, started):
    token = make_token(as_user("kepala_dinas"))
    listing = client.get("/akun/token").get_data(as_text=True)
    assert token not in listing  # shown once: the list has a hint only
    assert token[:10] in listing and "skrip laporan" in listing and "belum pernah" in listing
    answer = app.test_client().get("/api/v1/tasks", headers=bearer(token))
    assert answer.status_code == 200
    assert [t["element_id"] for t in answer.get_json()["tasks"]] == ["disposisi_kadin"]
    assert "Set-Cookie" not in answer.headers  # a token opens no session


def test_only_the_tokens_sha256_is_stored(as_user, engine):
    token = make_token(as_user("kasi"))
    with engine.db.Session() as session:
        row = session.scalars(select(ApiToken)).one()
        stored = [str(getattr(row, c.name)) for c in ApiToken.__table__.columns]
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in value for value in stored)


def test_a_revoked_token_stops_at_once_and_only_its_owner_may_revoke_it(as_user, client, engine):
    token = make_token(as_user("kasi"))
    [info] = engine.tokens.list("kasi")
    as_user("operator")
    assert client.post(f"/akun/token/{info.id}/cabut").status_code == 404
    assert client.get("/api/v1/tasks", headers=bearer(token)).status_code == 200
    as_user("kasi")
    done = client.post(f"/akun/token/{info.id}/cabut", follow_redirects=True)
    assert "sudah dicabut" in done.get_data(as_text=True) and "dicabut" in done.get_data(
        as_text=True
    )
    refused = client.get("/api/v1/tasks", headers=bearer(token))
    assert refused.status_code == 401 and "Bearer" in refused.headers["WWW-Authenticate"]


def test_an_expired_token_is_refused(as_user, client, clock):
    token = make_token(as_user("kasi"), expires_days="1")
    assert client.get("/api/v1/tasks", headers=bearer(token)).status_code == 200
    clock.advance(days=1, minutes=1)
    assert client.get("/api/v1/tasks", headers=bearer(token)).status_code == 401
    assert "kedaluwarsa" in client.get("/akun/token").get_data(as_text=True)


def test_a_bad_expiry_is_said_next_to_the_field(as_user):
    page = as_user("kasi").post("/akun/token", data={"name": "x", "expires_days": "0"})
    assert page.status_code == 422
    assert "Isi 1 sampai 3650 hari, atau kosongkan." in page.get_data(as_text=True)


def test_a_deactivated_users_token_is_refused(as_user, client, engine):
    token = make_token(as_user("kasi"))
    with engine.db.transaction() as session:
        session.scalars(select(User).where(User.username == "kasi")).one().active = False
    assert client.get("/api/v1/tasks", headers=bearer(token)).status_code == 401


def test_last_use_is_recorded(as_user, client, engine, clock):
    token = make_token(as_user("kasi"))
    client.get("/api/v1/tasks", headers=bearer(token))
    [info] = engine.tokens.list("kasi")
    assert info.last_used_at == clock.now
    assert "belum pernah" not in client.get("/akun/token").get_data(as_text=True)


def test_a_token_completes_a_task_without_csrf(strict_app, engine, started):
    token, _info = engine.tokens.create("kepala_dinas", "robot")
    client = strict_app.test_client()
    task = open_task(engine, started.id)
    done = client.post(
        f"/api/v1/tasks/{task.id}/complete",
        headers=bearer(token),
        json={"data": gen_form("disposisi_kadin")},
    )
    assert done.status_code == 200 and done.get_json()["instance"]["current_tasks"] == [
        "disposisi_kabid"
    ]


def test_guessed_tokens_are_rate_limited(strict_app):
    client = strict_app.test_client()
    fake = "lks_" + "A" * 43
    statuses = [
        client.get(
            "/api/v1/tasks", headers=bearer(fake), environ_base={"REMOTE_ADDR": "10.6.0.1"}
        ).status_code
        for _ in range(11)
    ]
    assert statuses == [401] * 10 + [429]


def test_a_colleagues_wrong_passwords_do_not_lock_out_a_valid_token(strict_app, engine):
    """One address for the office (NAT): someone's ten wrong passwords put the address over the
    failed sign-in limit; the office's script with a valid token goes on, a wrong token and the
    right password over Basic are still refused until the limit's window ends."""
    token, _info = engine.tokens.create("kasi", "skrip")
    client = strict_app.test_client()
    office = {"REMOTE_ADDR": "10.6.1.1"}
    guesses = [
        client.get(
            "/api/v1/tasks", headers=basic(f"tebakan{n}", "salah"), environ_base=office
        ).status_code
        for n in range(11)
    ]
    assert guesses == [401] * 10 + [429]
    assert (
        client.get("/api/v1/tasks", headers=bearer(token), environ_base=office).status_code == 200
    )
    fake = bearer("lks_" + "B" * 43)
    assert client.get("/api/v1/tasks", headers=fake, environ_base=office).status_code == 429
    right = client.get("/api/v1/tasks", headers=basic("kasi"), environ_base=office)
    assert right.status_code == 429


@pytest.fixture
def run(app):
    runner = (
        CliRunner(mix_stderr=False)
        if "mix_stderr" in CliRunner.__init__.__code__.co_varnames
        else CliRunner()
    )
    info = ScriptInfo(create_app=lambda *_args: app)
    return lambda *args: runner.invoke(cli, list(args), obj=info, catch_exceptions=False)


def test_tokens_from_the_command_line(run, client):
    made = run("users", "token", "create", "kasi", "--name", "cron", "--expires-days", "30")
    assert made.exit_code == 0, made.output
    token = TOKEN.search(made.output).group(0)
    assert client.get("/api/v1/tasks", headers=bearer(token)).status_code == 200
    listed = run("users", "token", "list", "kasi")
    assert "cron" in listed.output and "aktif" in listed.output and token not in listed.output
    token_id = listed.output.split()[0]
    assert run("users", "token", "revoke", token_id).exit_code == 0
    assert client.get("/api/v1/tasks", headers=bearer(token)).status_code == 401
    assert "dicabut" in run("users", "token", "list").output


def test_the_command_line_refuses_clearly(run):
    unknown = run("users", "token", "create", "tidak_ada")
    assert unknown.exit_code != 0 and "tidak ada atau tidak aktif" in unknown.output
    assert "Traceback" not in unknown.output
    bad_days = run("users", "token", "create", "kasi", "--expires-days", "0")
    assert bad_days.exit_code == 2
    missing = run("users", "token", "revoke", "674236157416585856")
    assert missing.exit_code != 0 and "token 674236157416585856 tidak ada" in missing.output


@pytest.fixture
def argon2_calls(monkeypatch):
    """Count password verifications (the argon2 work a cached Basic request must not repeat)."""
    forget_verified()
    calls = []
    real = accounts_module.verify_password

    def counting(user, password):
        calls.append(password)
        return real(user, password)

    monkeypatch.setattr(accounts_module, "verify_password", counting)
    yield calls
    forget_verified()


def test_basic_auth_verifies_the_password_once_a_minute(client, argon2_calls):
    for _ in range(3):
        assert client.get("/api/v1/tasks", headers=basic("kasi")).status_code == 200
    assert len(argon2_calls) == 1
    for _ in range(2):  # a wrong password is never remembered
        assert client.get("/api/v1/tasks", headers=basic("kasi", "salah")).status_code == 401
    assert len(argon2_calls) == 3


def test_a_password_change_ends_the_remembered_basic_login(client, engine, argon2_calls):
    assert client.get("/api/v1/tasks", headers=basic("kasi")).status_code == 200
    assert engine.accounts.change_password("kasi", DEMO_PASSWORD, "kata-sandi-baru-123")
    assert client.get("/api/v1/tasks", headers=basic("kasi")).status_code == 401
    assert (
        client.get("/api/v1/tasks", headers=basic("kasi", "kata-sandi-baru-123")).status_code == 200
    )


def test_deactivation_ends_the_remembered_basic_login(client, engine, argon2_calls):
    assert client.get("/api/v1/tasks", headers=basic("kasi")).status_code == 200
    with engine.db.transaction() as session:
        session.scalars(select(User).where(User.username == "kasi")).one().active = False
    assert client.get("/api/v1/tasks", headers=basic("kasi")).status_code == 401


def test_the_api_limit_counts_per_account_not_per_shared_address(strict_app, engine):
    strict_app.config["API_RATE_LIMIT"] = "3 per minute"
    mine, _info = engine.tokens.create("kasi", "skrip")
    theirs, _info = engine.tokens.create("operator", "skrip")
    client = strict_app.test_client()
    office = {"REMOTE_ADDR": "10.5.0.1"}  # one address for the whole office (NAT)
    statuses = [
        client.get("/api/v1/tasks", headers=bearer(mine), environ_base=office).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/tasks", headers=bearer(mine), environ_base=office)
    assert limited.get_json()["error"]["message"].startswith("Terlalu banyak permintaan.")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60  # seconds left in the minute
    assert (
        client.get("/api/v1/tasks", headers=bearer(theirs), environ_base=office).status_code == 200
    )


def test_my_tasks_of_one_request(client, engine, started):
    other = engine.start("permohonan_data_agregat", None, user="sekretariat")
    token, _info = engine.tokens.create("sekretariat", "skrip")
    mine = client.get("/api/v1/tasks", headers=bearer(token)).get_json()["tasks"]
    assert {t["instance_id"] for t in mine} == {other.id}
    only = client.get(f"/api/v1/tasks?instance={other.id}", headers=bearer(token))
    assert [t["instance_id"] for t in only.get_json()["tasks"]] == [other.id]
    assert (
        client.get(f"/api/v1/tasks?instance={started.id}", headers=bearer(token)).get_json()[
            "tasks"
        ]
        == []
    )
    for bad in ("abc", "0", "674236157416585856x"):
        refused = client.get(f"/api/v1/tasks?instance={bad}", headers=bearer(token))
        assert (
            refused.status_code == 400
            and "Parameter 'instance'" in (refused.get_json()["error"]["message"])
        )
    huge = client.get("/api/v1/tasks?instance=674236157416585856", headers=bearer(token))
    assert huge.status_code == 200 and huge.get_json()["tasks"] == []
