"""Tables kept beside the events in the same store: watched feeds, users, corrections.

Each module that owns such tables declares them (CREATE TABLE IF NOT EXISTS, plain
column types that DuckDB and PostgreSQL share) and creates them on first use; writes
go through `writing`, one transaction on the store's writer connection, whose `run`
and `rows` take SQL with ``?`` placeholders.
"""

from __future__ import annotations

from collections.abc import Sequence

from .store import Store


class Conn:
    """The statements a transaction runs: `run` (no result) and `rows` (all rows)."""

    def __init__(self, con) -> None:
        self.con = con

    def run(self, sql: str, params: Sequence = ()) -> None:
        self.con.execute(sql, list(params))

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()


class writing:
    """A write transaction on the store: commits on success, rolls back on any error."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> Conn:
        self.con = self.store._writer()
        self.con.execute("BEGIN")
        return Conn(self.con)

    def __exit__(self, kind, exc, tb) -> None:
        self.con.execute("ROLLBACK" if kind else "COMMIT")
        self.store._maybe_release()


def ensure_tables(store: Store, schema: Sequence[str]) -> None:
    """Create the tables of `schema` that the store does not have yet."""
    with writing(store) as con:
        for sql in schema:
            con.run(sql)
