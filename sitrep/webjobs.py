"""Reports posted to the web app, extracted in the background one at a time.

A POST only checks and queues a report and answers 202 with the job's status URL; one worker
thread extracts it outside the store lock, and only the write takes the lock, so a long report
never stalls the readers.  The queue is bounded: when it is full a POST is refused (503 with
Retry-After), and only the last `keep` finished jobs are remembered.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("sitrep.web")


class JobFailed(Exception):
    """A job failed for a reason the client may read (its own report was refused)."""


@dataclass(slots=True)
class Job:
    id: str
    request_id: str
    status: str = "queued"  # queued, running, done, failed
    result: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"job_id": self.id, "status": self.status, "status_url": f"/api/jobs/{self.id}",
                "result": self.result, "error": self.error}


class JobQueue:
    """Runs ``work(payload)`` for each submitted payload in one background thread, in order."""

    def __init__(self, work: Callable[[Any], dict[str, Any]], size: int = 16, keep: int = 1000) -> None:
        self._work = work
        self._queue: queue.Queue[tuple[Job, Any]] = queue.Queue(maxsize=size)
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, payload: Any, request_id: str = "-") -> Job | None:
        """Queue a payload; None when the queue is full."""
        job = Job(secrets.token_urlsafe(12), request_id)
        with self._lock:
            try:
                self._queue.put_nowait((job, payload))
            except queue.Full:
                return None
            self._jobs[job.id] = job
            self._forget_old()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sitrep-jobs", daemon=True)
                self._thread.start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.status in ("done", "failed")]
        for k in finished[: max(0, len(finished) - self._keep)]:
            del self._jobs[k]

    def _run(self) -> None:
        while True:
            job, payload = self._queue.get()
            job.status = "running"
            try:
                job.result = self._work(payload)
                job.status = "done"
            except JobFailed as exc:
                job.error, job.status = str(exc), "failed"
            except Exception:  # details to the server log only; the client gets the request id
                log.exception("job %s (request %s) failed", job.id, job.request_id)
                job.error = f"the report could not be stored (request id {job.request_id})"
                job.status = "failed"
