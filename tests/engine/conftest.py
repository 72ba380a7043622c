"""The engine suite runs on SQLite, and again on PostgreSQL when LAKSANA_TEST_DATABASE_URL is set."""

import pytest

from tests.conftest import BACKENDS, database_for


@pytest.fixture(params=BACKENDS)
def database(request, settings):
    yield from database_for(request.param, settings)
