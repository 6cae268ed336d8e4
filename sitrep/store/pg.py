"""The team store: a PostgreSQL database, shared by any number of ingests and web apps at once.

Readers read committed data under PostgreSQL's MVCC and never wait.  Each writer's batch
is one transaction that first takes a transaction-scoped advisory lock, so batches that
re-merge the same events run one after another and see each other's results; the lock
is PostgreSQL's own and ends with the transaction, even when the writer is killed.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from ..errors import StoreError
from .backend import PgConn, first_line, redact

# pg_advisory_xact_lock key of the batch writers ("sitrep" in ASCII).
WRITE_LOCK = 0x736974726570


class PgDb:
    """A PostgreSQL store reached by URL, with a small pool of connections for threads."""

    dialect = "postgres"

    def __init__(self, url: str, lock_timeout: float = 30.0, pool_size: int = 8) -> None:
        self.url = url
        self.lock_timeout = lock_timeout
        self.pool_size = pool_size
        self._pool = None
        self._pool_lock = threading.Lock()

    def describe(self) -> str:
        return redact(self.url)

    def exists(self) -> bool:
        return True

    def check_parent(self) -> None:
        pass

    def _get_pool(self):
        with self._pool_lock:
            if self._pool is None:
                import psycopg
                from psycopg_pool import ConnectionPool

                try:
                    # One probe first: a wrong URL is a one-line error now, not a pool retrying in the background.
                    psycopg.connect(self.url, connect_timeout=int(max(1, self.lock_timeout))).close()
                except psycopg.Error as exc:
                    raise StoreError(f"{self.describe()}: cannot connect ({first_line(exc)})") from None
                self._pool = ConnectionPool(self.url, min_size=1, max_size=self.pool_size,
                                            kwargs={"autocommit": True}, open=True,
                                            timeout=self.lock_timeout, name="sitrep")
            return self._pool

    @contextmanager
    def _connection(self):
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            cm = self._get_pool().connection()
            con = cm.__enter__()
        except (PoolTimeout, psycopg.OperationalError) as exc:
            raise StoreError(f"{self.describe()}: cannot connect ({first_line(exc)})") from None
        try:
            yield con
        except BaseException as exc:
            if cm.__exit__(type(exc), exc, exc.__traceback__):
                return
            raise
        else:
            cm.__exit__(None, None, None)

    @contextmanager
    def write(self):
        """One transaction, after the other writers' batches that came first."""
        with self._connection() as con, con.transaction():
            con.execute(f"SET LOCAL lock_timeout = '{int(self.lock_timeout * 1000)}ms'")
            con.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            yield PgConn(con)

    @contextmanager
    def read(self):
        with self._connection() as con:
            yield PgConn(con)

    def close(self) -> None:
        with self._pool_lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
