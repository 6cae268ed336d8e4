"""A fresh PostgreSQL schema per test on the server named by $SITREP_TEST_PG (skipped without one)."""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

PG_URL = os.environ.get("SITREP_TEST_PG")


def _reachable() -> str | None:
    if not PG_URL:
        return "SITREP_TEST_PG is not set (scripts/install-postgres.sh starts a server and prints it)"
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=5).close()
    except Exception as exc:  # any failure to connect means: no server for these tests
        return f"PostgreSQL at SITREP_TEST_PG is not reachable ({exc.__class__.__name__})"
    return None


SKIP_REASON = _reachable()
needs_pg = pytest.mark.skipif(SKIP_REASON is not None, reason=SKIP_REASON or "")


def with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-c search_path={schema}')}"


@pytest.fixture
def pg_url():
    """A URL whose tables live in a schema of their own, dropped after the test."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(PG_URL, schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {schema} CASCADE")
