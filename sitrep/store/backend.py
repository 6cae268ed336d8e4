"""The two databases a store can live in, behind one small interface.

A Conn runs SQL written with ``?`` placeholders, inserts whole columns at once (DuckDB
from an Arrow table, PostgreSQL through COPY), and stages a small table for a join.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import StoreError
from .schema import TABLES


def arrow_type(sql_type: str):
    import pyarrow as pa

    head = sql_type.split(" ")[0]
    base = head.rstrip("[]")
    t = {"TEXT": pa.string(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "DATE": pa.date32(),
         "TIMESTAMP": pa.timestamp("us"), "BIGINT": pa.int64()}[base]
    return pa.list_(t) if head.endswith("[]") else t


def table_types(table: str) -> dict[str, str]:
    return dict(TABLES[table])


class Conn:
    """One connection inside one transaction (writers) or for a few queries (readers)."""

    dialect = ""
    _n_staged = 0

    def fresh_name(self, prefix: str) -> str:
        """A name for a staged table not used before on this connection."""
        self._n_staged += 1
        return f"{prefix}_{self._n_staged}"

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def insert(self, table: str, columns: dict[str, list]) -> None:
        """Append rows given as one list per column (names as in the table)."""
        raise NotImplementedError

    def stage(self, prefix: str, types: dict[str, str], columns: dict[str, list]) -> str:
        """A table of these rows that SQL in this transaction can join with; returns its name."""
        raise NotImplementedError


class DuckConn(Conn):
    dialect = "duckdb"

    def __init__(self, con) -> None:
        self.con = con
        self._staged: list[str] = []

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, list(params))

    def _arrow(self, types: dict[str, str], columns: dict[str, list]):
        import pyarrow as pa

        names = list(columns)
        schema = pa.schema([(n, arrow_type(types[n])) for n in names])
        return pa.table([pa.array(columns[n], type=schema.field(n).type) for n in names], schema=schema)

    def insert(self, table: str, columns: dict[str, list]) -> None:
        if not columns or not len(next(iter(columns.values()))):
            return
        data = self._arrow(table_types(table), columns)
        cols = ", ".join(columns)
        self.con.register("_sitrep_rows", data)
        self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _sitrep_rows")
        self.con.unregister("_sitrep_rows")  # (after a failed insert, the connection is rolled back and closed)

    def stage(self, prefix: str, types: dict[str, str], columns: dict[str, list]) -> str:
        name = self.fresh_name(prefix)
        self.con.register(name, self._arrow(types, columns))
        self._staged.append(name)
        return name

    def unstage(self) -> None:
        for name in self._staged:
            self.con.unregister(name)
        self._staged.clear()


def _pg_sql(sql: str) -> str:
    # sitrep's SQL has no literal '?' or '%': parameters carry every pattern.
    return sql.replace("?", "%s")


class PgConn(Conn):
    dialect = "postgres"

    def __init__(self, con) -> None:
        self.con = con

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.con.cursor() as cur:
            cur.execute(_pg_sql(sql), list(params) or None)
            return cur.fetchall() if cur.description else []

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.con.cursor() as cur:
            cur.execute(_pg_sql(sql), list(params) or None)

    def _copy(self, table: str, columns: dict[str, list]) -> None:
        names = list(columns)
        with self.con.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as cp:
            for row in zip(*(columns[n] for n in names)):
                cp.write_row(row)

    def insert(self, table: str, columns: dict[str, list]) -> None:
        if not columns or not len(next(iter(columns.values()))):
            return
        self._copy(table, columns)

    def stage(self, prefix: str, types: dict[str, str], columns: dict[str, list]) -> str:
        from .schema import spell

        name = self.fresh_name(prefix)
        body = ", ".join(f"{n} {spell(types[n], 'postgres')}" for n in columns)
        self.run(f"CREATE TEMP TABLE {name} ({body}) ON COMMIT DROP")
        self._copy(name, columns)
        self.run(f"ANALYZE {name}")
        return name


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """A database URL without its password, for messages."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def data_error(exc: BaseException) -> bool:
    """Whether a database error says a value could not be stored (the row's fault, not the store's)."""
    mod = type(exc).__module__
    if mod.startswith(("duckdb", "_duckdb")):
        import duckdb

        return isinstance(exc, (duckdb.ConversionException, duckdb.DataError, duckdb.IntegrityError,
                                duckdb.OutOfRangeException, duckdb.InvalidInputException))
    if mod.startswith("psycopg"):
        import psycopg

        return isinstance(exc, (psycopg.DataError, psycopg.IntegrityError))
    return isinstance(exc, (OverflowError, ValueError, TypeError)) or mod.startswith("pyarrow")


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]


def store_error(where: str, exc: BaseException) -> StoreError:
    return StoreError(f"{where}: {first_line(exc)}")


def chunks(items: Sequence, n: int) -> Iterable[Sequence]:
    for i in range(0, len(items), n):
        yield items[i:i + n]
