"""Reward serving: per-turn tiers, rewards and advantages from a saved WRIT Lab reward config.

    import writ_lab
    scores = writ_lab.scoring.score_group("http://host:3000", task_id="17",
                                          trajectories=[{"trajectory_id": "a", "messages": [...]}, ...],
                                          iteration="latest")
    scores["results"][0]["reward"], scores["results"][0]["turns"][3]["advantage"]

or, inside a run, ``run.score_group(task_id, trajectories, iteration=12, step=41)`` (``step``
also stores the group into the run in the same round trip).

Contract: POST /api/v1/reward-configs/{iteration}/score (README "Reward serving"). The answer
is the workbench's numbers for those trajectories under that iteration; with one trajectory,
advantages are ``None`` (undefined, not 0). Standard library only.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ._http import Unavailable, post_with_retries
from .client import WritLabError


class ScoringClient:
    """A small synchronous client for the scoring endpoints (when there is no :class:`writ_lab.Run`).

    ``url``: the server, e.g. "http://host:3000"; ``token``: its WRIT_ACCESS_TOKEN (default
    ``$WRIT_LAB_TOKEN``). 429/5xx/connection errors are retried with exponential backoff.
    """

    def __init__(self, url: str, token: Optional[str] = None, timeout: float = 60.0, max_retries: int = 5, backoff: float = 0.5):
        self.url = url.rstrip("/")
        self.token = token if token is not None else os.environ.get("WRIT_LAB_TOKEN") or None
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff

    def _post_json(self, path: str, body: Any) -> Tuple[int, Any]:
        data = json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "writ-lab-python/0.1"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            return post_with_retries(
                self.url + path,
                data,
                headers,
                timeout=self.timeout,
                max_retries=self.max_retries,
                backoff=self.backoff,
                max_backoff=8.0,
                parse=_parse,
            )
        except Unavailable as err:
            raise WritLabError(str(err)) from None


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except ValueError:
        return {"error": {"message": raw[:200].decode("utf-8", "replace")}}


ClientLike = Union[str, ScoringClient, Any]


def client_of(run_or_client: ClientLike, token: Optional[str] = None) -> Any:
    """A :class:`writ_lab.Run`, a :class:`ScoringClient`, or a server URL (turned into a ScoringClient)."""
    if isinstance(run_or_client, str):
        return ScoringClient(run_or_client, token=token)
    if not hasattr(run_or_client, "_post_json"):
        raise TypeError("run_or_client must be a writ_lab.Run, a ScoringClient or the server URL")
    return run_or_client


def post_checked(client: Any, path: str, body: Any) -> Any:
    """POST and return the JSON answer; a 4xx/5xx raises WritLabError naming the field."""
    status, payload = client._post_json(path, body)
    if status >= 400:
        err = (payload or {}).get("error", {}) if isinstance(payload, dict) else {}
        field = err.get("field")
        raise WritLabError(f"POST {path}: HTTP {status} {err.get('code', '')}: {err.get('message', '')}" + (f" (field {field})" if field else ""))
    return payload


def _trajectories(trajectories: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    out = []
    for i, t in enumerate(trajectories):
        if not isinstance(t, dict):
            raise TypeError(f"trajectories[{i}] must be a dict with messages (or text)")
        t = dict(t)
        t.setdefault("trajectory_id", f"t{i}")
        # Only what scoring reads; a trainer's own reward fields are not sent.
        out.append({k: t[k] for k in ("trajectory_id", "messages", "text", "response_text", "termination") if k in t and t[k] is not None})
    return out


def score_group(
    run_or_client: ClientLike,
    task_id: Any,
    trajectories: Sequence[Dict[str, Any]],
    iteration: Any = "latest",
    estimator: Optional[str] = None,
    step: Optional[int] = None,
    group_id: Optional[str] = None,
) -> Dict[str, Any]:
    """Score one group (N trajectories of one task) under a saved iteration (an id or "latest").

    Each trajectory: ``{"trajectory_id", "messages"}`` (project / OpenAI chat format), or
    ``"text"`` (Hermes/Qwen chat-template text), optionally with ``"response_text"`` (a decoded
    response appended to the prompt) and ``"termination"``. ``estimator`` overrides the
    iteration's ("grpo", "mt_grpo", "gtpo", "hybrid"). With a Run and ``step``, the group is
    also stored into the run (``group_id`` defaults to "<step>:<task_id>:<first trajectory id>").
    Returns the answer dict: ``iteration`` (resolved), ``estimator``, ``results`` (per trajectory
    ``outcome``, ``reward``, ``evaluation``, ``turns``) and ``group``.
    """
    client = client_of(run_or_client)
    body: Dict[str, Any] = {"task_id": str(task_id), "trajectories": _trajectories(trajectories)}
    if estimator:
        body["estimator"] = estimator
    if step is not None:
        run_id = getattr(client, "run_id", None)
        if not run_id:
            raise ValueError("step stores the group into a run: call run.score_group(...) on a writ_lab.Run")
        body["ingest"] = {"run_id": run_id, "step": int(step)}
        if group_id:
            body["ingest"]["group_id"] = group_id
    path = f"/api/v1/reward-configs/{urllib.parse.quote(str(iteration), safe='')}/score"
    return post_checked(client, path, body)
