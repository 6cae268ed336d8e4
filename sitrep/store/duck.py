"""The embedded store: one DuckDB file, written a batch at a time, read from a snapshot while written.

DuckDB lets one process hold a file for writing and then refuses every other process,
readers included.  So a writer opens the file only to write one batch (extraction
happens before, with the file closed), announcing itself first with a marker file;
after each batch it copies the checkpointed file to ``<file>.snapshot``.  A reader
reads the file itself when no writer is at work, and the snapshot when one is: it
never waits for a writer, and sees every batch committed before the one being written.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError
from .backend import DuckConn, first_line


class _ReadWrite:
    """This process's readers and writer of one file: DuckDB refuses a read-only and a
    read-write connection to the same file in one process, so they take turns."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False

    def writing(self) -> bool:
        return self._writer

    @contextmanager
    def reading(self):
        with self._cond:
            while self._writer:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self):
        with self._cond:
            while self._writer:
                self._cond.wait()
            self._writer = True  # new readers now go to the snapshot or wait
            while self._readers:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


# The snapshot is refreshed after a batch when at least this many times the last copy's
# duration has passed since that copy.
SNAPSHOT_SPACING = 10


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DuckFile:
    """A DuckDB store file, its writer's marker and its readers' snapshot."""

    dialect = "duckdb"

    def __init__(self, path: str, lock_timeout: float = 30.0, snapshot: bool = True) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.snapshot = snapshot
        self.snapshot_path = path + ".snapshot"
        self.marker = Path(path + ".writing")
        self._snap = None  # (inode, mtime_ns, connection) of the snapshot readers use
        self._snap_lock = threading.Lock()
        self._turns = _ReadWrite()
        self.last_snapshot_s = 0.0  # how long the last snapshot copy took
        self._snapshot_at = 0.0

    def describe(self) -> str:
        return self.path

    def exists(self) -> bool:
        return Path(self.path).exists()

    def check_parent(self) -> None:
        parent = Path(self.path).resolve().parent
        if not parent.is_dir():
            raise StoreError(f"{self.path}: directory {parent} does not exist")

    # -- connections ---------------------------------------------------------

    def _connect(self, read_only: bool, path: str | None = None, wait: bool = True):
        import duckdb

        deadline = time.monotonic() + (self.lock_timeout if wait else 0)
        delay = 0.005
        while True:
            try:
                return duckdb.connect(path or self.path, read_only=read_only)
            except duckdb.Error as exc:
                msg = first_line(exc)
                locked = "lock" in msg.lower()
                if locked and time.monotonic() < deadline:
                    time.sleep(delay)
                    delay = min(delay * 2, 0.1)
                    continue
                if locked:
                    if not wait:
                        return None
                    raise StoreError(
                        f"{self.path}: busy (another process has held it for {self.lock_timeout:g}s)") from None
                raise StoreError(f"{self.path}: cannot open store ({msg})") from None

    def _writing_elsewhere(self) -> bool:
        try:
            pid = int(self.marker.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return False
        return pid != os.getpid() and _alive(pid)

    @contextmanager
    def write(self, after_commit=None):
        """One transaction on the file, held only while the block runs; then the snapshot is refreshed."""
        with self._turns.write():
            yield from self._write()

    def _write(self):
        self.marker.write_text(f"{os.getpid()}\n")
        con = None
        try:
            con = self._connect(read_only=False)
            conn = DuckConn(con)
            con.execute("BEGIN")
            try:
                yield conn
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            finally:
                conn.unstage()
            if self.snapshot and self._snapshot_due():
                self._refresh_snapshot(con)
        finally:
            if con is not None:
                con.close()
            self.marker.unlink(missing_ok=True)

    def _snapshot_due(self) -> bool:
        # Copying costs time in proportion to the file; refreshing no more often than ten copies'
        # time keeps that under a tenth of the writing, however large the store grows.
        return (not Path(self.snapshot_path).exists()
                or time.monotonic() - self._snapshot_at >= SNAPSHOT_SPACING * self.last_snapshot_s)

    def _refresh_snapshot(self, con) -> None:
        # Checkpointed, the file holds every committed batch; this process holds the lock, so
        # nobody changes it during the copy, and the rename is atomic for readers.
        t = time.perf_counter()
        con.execute("CHECKPOINT")
        tmp = self.snapshot_path + f".{os.getpid()}.tmp"
        shutil.copyfile(self.path, tmp)
        os.replace(tmp, self.snapshot_path)
        self.last_snapshot_s = time.perf_counter() - t
        self._snapshot_at = time.monotonic()

    @contextmanager
    def read(self):
        """A read-only connection: the file itself, or its snapshot while a writer is at work."""
        has_snapshot = self.snapshot and Path(self.snapshot_path).exists()
        if has_snapshot and (self._turns.writing() or self._writing_elsewhere()):
            yield from self._from_snapshot()
            return
        with self._turns.reading():
            con = self._connect(read_only=True, wait=not has_snapshot)
            if con is not None:
                try:
                    yield DuckConn(con)
                finally:
                    con.close()
                return
        yield from self._from_snapshot()  # locked by another process, and a snapshot is there

    def _from_snapshot(self):
        cur = self._snapshot_cursor()
        try:
            yield DuckConn(cur)
        finally:
            cur.close()

    def _snapshot_cursor(self):
        st = os.stat(self.snapshot_path)
        with self._snap_lock:
            if self._snap is None or self._snap[:2] != (st.st_ino, st.st_mtime_ns):
                if self._snap is not None:
                    self._snap[2].close()
                con = self._connect(read_only=True, path=self.snapshot_path)
                self._snap = (st.st_ino, st.st_mtime_ns, con)
            return self._snap[2].cursor()

    def close(self) -> None:
        with self._snap_lock:
            if self._snap is not None:
                self._snap[2].close()
                self._snap = None
