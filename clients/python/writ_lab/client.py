"""WRIT Lab's ingestion client: a Run that batches events in a background thread.

Guarantees (the server's natural keys make every replay harmless):

* ``log_group`` only appends to an in-memory queue; it never waits for the network.
* A background thread sends batches when ``batch_bytes`` have accumulated or
  ``flush_interval`` seconds have passed. 429, 5xx and connection errors are retried with
  exponential backoff (``max_retries`` times); if the server stays down, the batch is
  appended to a local JSONL spool file (``<spool_dir>/<run_id>.jsonl``) and replayed before
  anything else on the next flush, or by the next ``init`` of the same run.
* An event keeps its id across retries and replays; the server answers a replay of an event
  it already stored with 200 "unchanged", so nothing is counted twice.
* ``finish()`` sends run.finish, waits until everything is delivered, and raises
  :class:`WritLabError` listing every event the server rejected (id, status, field, message),
  or saying where undelivered events are spooled.
"""

from __future__ import annotations

import json
import os
import queue
import re
import threading
import time
import uuid
from typing import Any, Dict, List, Optional, Tuple

from ._http import Unavailable as _Unavailable
from ._http import post_with_retries

#: The server's limit for one request (POST /api/v1/ingest answers 413 beyond it).
MAX_REQUEST_BYTES = 4 * 1024 * 1024


class WritLabError(Exception):
    """Events were rejected by the server, or could not be delivered."""

    def __init__(self, message: str, rejected: Optional[List[Dict[str, Any]]] = None, spool_path: Optional[str] = None):
        super().__init__(message)
        self.rejected = rejected or []
        self.spool_path = spool_path


def _default_spool_dir() -> str:
    return os.environ.get("WRIT_LAB_SPOOL_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "writ_lab", "spool")


class Run:
    """A training run streaming into WRIT Lab. Create it with :func:`writ_lab.init`."""

    def __init__(
        self,
        url: str,
        run_id: str,
        upsert_body: Dict[str, Any],
        token: Optional[str] = None,
        spool_dir: Optional[str] = None,
        batch_bytes: int = 2 * 1024 * 1024,
        flush_interval: float = 1.0,
        max_retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        timeout: float = 60.0,
    ):
        #: Base URL of the server, e.g. "http://host:3000" (no trailing slash).
        self.url = url.rstrip("/")
        #: The bearer token sent with every request (None: no Authorization header).
        self.token = token
        self.run_id = run_id
        self.batch_bytes = min(batch_bytes, MAX_REQUEST_BYTES - 64 * 1024)
        self.flush_interval = flush_interval
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.spool_path = os.path.join(spool_dir or _default_spool_dir(), re.sub(r"[^A-Za-z0-9._-]", "_", run_id) + ".jsonl")
        #: The experiment id of the run in WRIT Lab once the server has answered run.upsert.
        self.experiment_id: Optional[int] = None
        self.rejected: List[Dict[str, Any]] = []
        self.sent_events = 0
        #: Times undelivered events were written to the spool (the server was down).
        self.spool_writes = 0
        self._upsert_body = upsert_body
        self._group_counts: Dict[Tuple[int, str], int] = {}
        self._queue: "queue.Queue[Tuple[str, Any]]" = queue.Queue()
        self._lock = threading.Lock()
        self._finished = False
        self._thread = threading.Thread(target=self._loop, name=f"writ-lab-{run_id}", daemon=True)
        self._enqueue(self._event("run.upsert", upsert_body))
        self._thread.start()

    # ------------------------------------------------------------------ public API

    def log_group(self, step: int, task_id: Any, trajectories: List[Dict[str, Any]], group_id: Optional[str] = None, **extra: Any) -> str:
        """Queue one group (N trajectories of one task at one step); returns its group id.

        ``trajectories``: dicts with ``trajectory_id`` (default ``f"{group_id}:{i}"``),
        ``messages`` and optionally ``reward``, ``reward_components``, ``advantage``,
        ``turn_advantages``, ``termination``, ``metadata``. ``extra`` keys (``split``,
        ``policy_version``, ``metadata`` …) go into the event body as given.
        """
        if self._finished:
            raise WritLabError("log_group after finish()")
        task = str(task_id)
        if group_id is None:
            key = (int(step), task)
            n = self._group_counts.get(key, 0)
            self._group_counts[key] = n + 1
            group_id = f"{step}:{task}:{n}"
        trajs = []
        for i, t in enumerate(trajectories):
            if "trajectory_id" not in t:
                t = dict(t, trajectory_id=f"{group_id}:{i}")
            trajs.append(t)
        body = {"run_id": self.run_id, "step": step, "group_id": group_id, "task_id": task, "trajectories": trajs}
        body.update(extra)
        self._enqueue(self._event("group.create", body))
        return group_id

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Wait until every queued event was sent (or spooled). True when nothing is left spooled."""
        done = threading.Event()
        self._queue.put(("flush", done))
        done.wait(timeout)
        return not os.path.exists(self.spool_path)

    def finish(self, status: str = "completed", error: Optional[str] = None) -> None:
        """Send run.finish, deliver everything, stop the thread; raise if anything was rejected or is still spooled."""
        if self._finished:
            return
        body: Dict[str, Any] = {"run_id": self.run_id}
        if status != "completed":
            body["status"] = status
        if error:
            body["error"] = error
        self._enqueue(self._event("run.finish", body))
        self._finished = True
        done = threading.Event()
        self._queue.put(("stop", done))
        done.wait()
        self._thread.join()
        if self.rejected:
            lines = "; ".join(f"{r.get('id')} ({r.get('status')}, {r.get('field', '-')}): {r.get('message')}" for r in self.rejected)
            raise WritLabError(f"{len(self.rejected)} event(s) rejected by the server: {lines}", rejected=list(self.rejected))
        if os.path.exists(self.spool_path):
            raise WritLabError(
                f"the server at {self.url} could not be reached; undelivered events are spooled in {self.spool_path} "
                "and are sent by the next writ_lab.init of this run",
                spool_path=self.spool_path,
            )

    def score_group(
        self,
        task_id: Any,
        trajectories: List[Dict[str, Any]],
        iteration: Any = "latest",
        estimator: Optional[str] = None,
        step: Optional[int] = None,
        group_id: Optional[str] = None,
    ) -> Any:
        """Per-turn rewards from a saved reward config (reward serving; see writ_lab.scoring).

        With ``step``, the same call also stores the group into this run (one round trip).
        """
        from .scoring import score_group

        return score_group(self, task_id, trajectories, iteration=iteration, estimator=estimator, step=step, group_id=group_id)

    # ------------------------------------------------------------------ HTTP plumbing

    def _headers(self) -> Dict[str, str]:
        h = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "writ-lab-python/0.1"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return h

    def _post_json(self, path: str, body: Any) -> Tuple[int, Any]:
        """POST ``body`` as JSON to ``self.url + path``; returns (status, parsed JSON or None).

        Retries 429/5xx/connection errors with exponential backoff; any other status is
        returned as is. Raises :class:`WritLabError` once every retry failed.
        """
        data = body if isinstance(body, (bytes, bytearray)) else json.dumps(body).encode("utf-8")
        try:
            return self._post_bytes(path, data)
        except _Unavailable as err:
            raise WritLabError(str(err)) from err

    def _post_bytes(self, path: str, data: bytes) -> Tuple[int, Any]:
        return post_with_retries(
            self.url + path,
            data,
            self._headers(),
            timeout=self.timeout,
            max_retries=self.max_retries,
            backoff=self.backoff,
            max_backoff=self.max_backoff,
            parse=_parse,
        )

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _event(kind: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return {"id": uuid.uuid4().hex, "type": kind, "body": body}

    def _enqueue(self, event: Dict[str, Any]) -> None:
        self._queue.put(("event", event))

    def _loop(self) -> None:
        pending: List[bytes] = []
        size = 0
        deadline = time.monotonic() + self.flush_interval
        while True:
            try:
                kind, item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                kind, item = "tick", None
            if kind == "event":
                line = json.dumps(item).encode("utf-8")
                if pending and size + len(line) + 1 > self.batch_bytes:
                    # Full: send what is pending now, so a request is one batch (not a full one plus a one-event remainder).
                    self._deliver(pending)
                    pending, size = [], 0
                    deadline = time.monotonic() + self.flush_interval
                pending.append(line)
                size += len(line) + 1
                if size < self.batch_bytes:
                    continue
            # size reached, time passed, flush or stop: deliver the spool first, then what is pending.
            self._deliver(pending)
            pending, size = [], 0
            deadline = time.monotonic() + self.flush_interval
            if kind in ("flush", "stop"):
                item.set()
                if kind == "stop":
                    return

    def _deliver(self, pending: List[bytes]) -> None:
        """Replay the spool (oldest first), then send `pending`; whatever cannot be sent is spooled."""
        spooled = self._read_spool()
        lines = spooled + pending
        if not lines:
            return
        try:
            for batch in _batches(lines, self.batch_bytes):
                self._send(batch)
                lines = lines[len(batch):]
        except _Unavailable:
            self._write_spool(lines)
            return
        if spooled:
            self._write_spool([])

    def _send(self, batch: List[bytes]) -> None:
        data = b'{"batch":[' + b",".join(batch) + b"]}"
        status, payload = self._post_bytes("/api/v1/ingest", data)
        if status == 413 and len(batch) > 1:
            half = len(batch) // 2
            self._send(batch[:half])
            self._send(batch[half:])
            return
        if status == 207 and isinstance(payload, dict):
            self.sent_events += len(batch)
            for s in payload.get("successes", []):
                if self.experiment_id is None and isinstance(s.get("experiment_id"), int):
                    self.experiment_id = s["experiment_id"]
            self.rejected.extend(payload.get("errors", []))
            return
        # A whole-request failure that retrying cannot fix (400, 401, 413 for one event …): every event is rejected.
        message = payload.get("error", {}).get("message") if isinstance(payload, dict) and isinstance(payload.get("error"), dict) else f"HTTP {status}"
        for line in batch:
            ev = json.loads(line)
            self.rejected.append({"id": ev.get("id"), "status": status, "message": message, "type": ev.get("type")})

    def _read_spool(self) -> List[bytes]:
        try:
            with open(self.spool_path, "rb") as f:
                return [line.rstrip(b"\n") for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def _write_spool(self, lines: List[bytes]) -> None:
        """Replace the spool with `lines` (atomically: a crash leaves the old or the new file)."""
        if not lines:
            try:
                os.remove(self.spool_path)
            except FileNotFoundError:
                pass
            return
        self.spool_writes += 1
        os.makedirs(os.path.dirname(self.spool_path), exist_ok=True)
        tmp = self.spool_path + ".tmp"
        with open(tmp, "wb") as f:
            for line in lines:
                f.write(line + b"\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.spool_path)


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except ValueError:
        return None


def _batches(lines: List[bytes], limit: int) -> List[List[bytes]]:
    """Consecutive slices of `lines` whose JSON stays under `limit` bytes (one oversized event alone)."""
    out: List[List[bytes]] = []
    cur: List[bytes] = []
    size = 0
    for line in lines:
        if cur and size + len(line) + 1 > limit:
            out.append(cur)
            cur, size = [], 0
        cur.append(line)
        size += len(line) + 1
    if cur:
        out.append(cur)
    return out
