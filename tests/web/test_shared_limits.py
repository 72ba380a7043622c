"""Rate limits shared across workers (Redis) and the client's address behind a trusted proxy.

The shared-store tests use the Redis on 127.0.0.1:6379 (running on the development machines and
in CI) and are skipped, saying so, only when it cannot be reached. A second "worker" is a forked
process with its own app, as a gunicorn worker is: the count is shared only through the store.
"""

from __future__ import annotations

import multiprocessing
import uuid

import pytest

from engine.config import Settings
from web.app import create_app

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means: no Redis here
        pytest.skip(f"Redis on 127.0.0.1:6379 is not reachable ({exc}); shared limits untested")
    return REDIS_URL


def _app(settings: Settings, storage: str, **changes):
    shared = Settings(
        instance_dir=settings.instance_dir,
        database_url=settings.database_url,
        warehouse_url=settings.warehouse_url,
        ratelimit_storage=storage,
        **changes,
    )
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "LAKSANA_SETTINGS": shared})


def _failed_sign_ins(app, username: str, count: int, address: str) -> list[int]:
    client = app.test_client()
    return [
        client.post(
            "/masuk",
            data={"username": username, "password": "salah"},
            environ_base={"REMOTE_ADDR": address},
        ).status_code
        for _ in range(count)
    ]


def _in_another_worker(settings, storage, username, count, address) -> list[int]:
    """``count`` failed sign-ins through a second app in a separate process."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()

    def work():
        results.put(_failed_sign_ins(_app(settings, storage), username, count, address))

    worker = context.Process(target=work)
    worker.start()
    statuses = results.get(timeout=60)
    worker.join(timeout=10)
    return statuses


def _fresh_account() -> str:
    """A name no other run has used: the Redis counters outlive the test."""
    return f"uji-{uuid.uuid4().hex[:12]}"


def test_two_workers_with_redis_share_the_per_account_count(engine, settings, redis_url):
    username = _fresh_account()
    # three failures in one worker, from one address ...
    assert _in_another_worker(settings, redis_url, username, 3, "10.20.0.1") == [200] * 3
    # ... and this worker, from another address, has two left of the account's five
    here = _failed_sign_ins(_app(settings, redis_url), username, 3, "10.20.0.2")
    assert here == [200, 200, 429]


def test_two_workers_with_redis_share_the_per_address_count(engine, settings, redis_url):
    address = f"10.21.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    worker = [_fresh_account() for _ in range(6)]
    statuses = []
    for name in worker:  # a different account each time: only the address's limit counts
        statuses += _in_another_worker(settings, redis_url, name, 1, address)
    assert statuses == [200] * 6
    here = [
        _failed_sign_ins(_app(settings, redis_url), _fresh_account(), 1, address)[0]
        for _ in range(5)
    ]
    assert here == [200] * 4 + [429]  # 6 + 4 = the address's 10 a minute


def test_in_memory_counts_are_per_worker(engine, settings):
    """The control: without a shared store the second worker starts from zero (why Redis is needed)."""
    username = _fresh_account()
    assert _in_another_worker(settings, "memory://", username, 5, "10.22.0.1") == [200] * 5
    assert _failed_sign_ins(_app(settings, "memory://"), username, 1, "10.22.0.2") == [200]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(engine, settings):
    app = _app(settings, "memory://", trusted_proxies=1)
    client = app.test_client()

    def attempt(client_address: str) -> int:
        return client.post(
            "/masuk",
            data={"username": _fresh_account(), "password": "salah"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},  # the proxy
            headers={"X-Forwarded-For": client_address},
        ).status_code

    assert [attempt("203.0.113.7") for _ in range(11)] == [200] * 10 + [429]
    assert attempt("203.0.113.8") == 200  # another client behind the same proxy


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_limit(engine, settings):
    client = _app(settings, "memory://").test_client()
    statuses = [
        client.post(
            "/masuk",
            data={"username": _fresh_account(), "password": "salah"},
            environ_base={"REMOTE_ADDR": "198.51.100.9"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        ).status_code
        for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]


def test_a_wrong_trusted_proxies_value_is_named():
    with pytest.raises(ValueError, match="LAKSANA_TRUSTED_PROXIES"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("LAKSANA_TRUSTED_PROXIES", "satu")
            Settings()


def test_an_unreachable_store_does_not_stop_signing_in(engine, settings):
    """Redis down: the counts fall back to this process, the sign-in page still answers."""
    app = _app(settings, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert _failed_sign_ins(app, _fresh_account(), 2, "10.23.0.1") == [200, 200]
    client = app.test_client()
    signed_in = client.post("/masuk", data={"username": "kasi", "password": "laksana-demo"})
    assert signed_in.status_code == 302
