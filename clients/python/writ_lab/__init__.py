"""Stream the rollouts of an RL training run into WRIT Lab (standard library only).

    import writ_lab
    run = writ_lab.init("http://host:3000", project="airline-rl", run_id="r-7f3a",
                        name="qwen3-8b-mtgrpo", task_set="Demo: WRIT 5×5 grid", trainer="verl")
    run.log_group(step=41, task_id="17", trajectories=[{"messages": [...], "reward": 0.8}])
    run.finish()

Contract: POST /api/v1/ingest (README "Ingestion API"). Delivery rules: writ_lab/client.py.
"""

from __future__ import annotations

import uuid
from typing import Any, Dict, Optional

from .client import MAX_REQUEST_BYTES, Run, WritLabError

__all__ = ["init", "Run", "WritLabError", "MAX_REQUEST_BYTES"]
__version__ = "0.1.0"


def init(
    url: str,
    project: Optional[str] = None,
    run_id: Optional[str] = None,
    name: Optional[str] = None,
    task_set: Any = None,
    trainer: Optional[str] = None,
    group_size: Optional[int] = None,
    config: Optional[Dict[str, Any]] = None,
    resume: str = "allow",
    token: Optional[str] = None,
    **options: Any,
) -> Run:
    """Start (or resume) the training run `run_id` on the server at `url`.

    ``task_set``: the id or exact name of the WRIT Lab task set the run's task ids belong to.
    ``resume="allow"``: the same run id continues the run (events spooled by an earlier process
    of this run are replayed first). ``token``: WRIT_ACCESS_TOKEN of the server, if it has one.
    ``options``: ``spool_dir``, ``batch_bytes``, ``flush_interval``, ``max_retries``,
    ``backoff``, ``max_backoff``, ``timeout`` (see :class:`writ_lab.Run`).
    Never blocks on the network: the run is declared by the first batch the thread sends.
    """
    if resume != "allow":
        raise ValueError('resume: only "allow" is supported (a run id always continues its run)')
    if task_set is None:
        raise ValueError("task_set is required: the id or name of the WRIT Lab task set of the run's tasks")
    rid = run_id or uuid.uuid4().hex[:12]
    body: Dict[str, Any] = {"run_id": rid, "task_set": task_set}
    for key, value in (("name", name), ("trainer", trainer), ("project", project), ("group_size", group_size), ("config", config)):
        if value is not None:
            body[key] = value
    return Run(url, rid, body, token=token, **options)
