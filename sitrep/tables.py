"""Tables kept beside the events in the same store: watched feeds, users, corrections.

Each module that owns such tables declares them (CREATE TABLE IF NOT EXISTS, plain
column types that DuckDB and PostgreSQL share) and creates them on first use; writes
go through `writing`, one transaction of the store's own (sitrep.store.backend.Conn),
whose `run` and `rows` take SQL with ``?`` placeholders in either database.
"""

from __future__ import annotations

from collections.abc import Sequence

from .store import Store


def writing(store: Store):
    """A write transaction on the store (DuckDB or PostgreSQL): commits on success, rolls back on any error."""
    return store.db.write()


def ensure_tables(store: Store, schema: Sequence[str]) -> None:
    """Create the tables of `schema` that the store does not have yet."""
    with writing(store) as con:
        for sql in schema:
            con.run(sql)
