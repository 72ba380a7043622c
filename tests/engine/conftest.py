"""The engine suite runs on SQLite, and again on PostgreSQL when LAKSANA_TEST_DATABASE_URL is set."""

import pytest

from tests.conftest import drop_schema, postgres_database, sqlite_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, settings):
    if request.param == "sqlite":
        database = sqlite_database(settings)
        yield database
        database.dispose()
    else:
        database, schema = postgres_database()
        yield database
        database.dispose()
        drop_schema(schema)
