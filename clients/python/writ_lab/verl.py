"""verl reward function backed by WRIT Lab's reward serving.

In the verl config::

    custom_reward_function:
      path: /path/to/site-packages/writ_lab/verl.py    # python -c "import writ_lab.verl as m; print(m.__file__)"
      name: compute_score
      reward_kwargs:
        url: http://writ-lab:3000      # or $WRIT_LAB_URL
        iteration: latest              # a saved iteration id pins the rewards for the whole run
        reward: total                  # "total" = outcome + Σ turn rewards, "outcome" = 0/1

verl calls ``compute_score(data_source, solution_str, ground_truth, extra_info)`` once per
sample (docs/preparation/reward_function.rst); a dict return puts ``score`` in the reward tensor
(at the last response token, verl/workers/reward_manager/naive.py) and every other key into
``reward_extra_info``, which verl writes into its rollout dumps. This function returns
``score`` plus ``outcome``, ``writ_group``, ``writ_task_id``, ``writ_turn_reward_sum``,
``writ_agent_turns`` and ``writ_iteration`` (the same keys and types for every sample, as verl
needs), so the WRIT Lab verl ingestion adapter can regroup the dump.

Where things come from:

* task id: ``extra_info["writ_task_id"]`` (or ``extra_info["task_id"]``), else ``ground_truth``;
* group key: ``extra_info["writ_group"]`` (set it per prompt in the dataset), else "" ;
* messages: ``extra_info["raw_prompt"]`` / ``extra_info["messages"]`` (the prompt as a message
  list, if the dataset keeps it) followed by ``solution_str`` parsed as Hermes/Qwen text
  (verl decodes it with ``skip_special_tokens=True``: role lines stay, markers go).

Each sample is scored alone, so there are no advantages here (verl computes its own from
``score``); for turn-level credit see the README recipe.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

# Absolute imports: verl loads this file by path (importlib.util.spec_from_file_location in
# verl/trainer/ppo/reward.py), outside its package, where relative imports fail.
from writ_lab.client import WritLabError
from writ_lab.scoring import ScoringClient, score_group

_clients: Dict[tuple, ScoringClient] = {}


def _client(url: Optional[str], token: Optional[str]) -> ScoringClient:
    url = url or os.environ.get("WRIT_LAB_URL")
    if not url:
        raise WritLabError("writ_lab.verl.compute_score: set reward_kwargs.url or $WRIT_LAB_URL to the WRIT Lab server")
    key = (url, token)
    if key not in _clients:
        _clients[key] = ScoringClient(url, token=token)
    return _clients[key]


def _task_id(ground_truth: Any, extra_info: Dict[str, Any]) -> str:
    for key in ("writ_task_id", "task_id"):
        if extra_info.get(key) not in (None, ""):
            return str(extra_info[key])
    if isinstance(ground_truth, dict) and ground_truth.get("task_id") is not None:
        return str(ground_truth["task_id"])
    if ground_truth in (None, ""):
        raise WritLabError("writ_lab.verl.compute_score: no task id (set extra_info.writ_task_id or reward_model.ground_truth)")
    return str(ground_truth)


def compute_score(
    data_source: Any,
    solution_str: str,
    ground_truth: Any,
    extra_info: Optional[Dict[str, Any]] = None,
    url: Optional[str] = None,
    iteration: Any = None,
    token: Optional[str] = None,
    reward: Optional[str] = None,
    **_: Any,
) -> Dict[str, Any]:
    """Score one verl sample; returns ``{"score": float, "outcome": int, "writ_group": str, ...}``."""
    extra_info = dict(extra_info or {})
    task_id = _task_id(ground_truth, extra_info)
    trajectory: Dict[str, Any] = {"trajectory_id": "sample", "response_text": solution_str or ""}
    prompt = extra_info.get("raw_prompt", extra_info.get("messages"))
    if isinstance(prompt, (list, tuple)) and prompt:
        trajectory["messages"] = [dict(m) for m in prompt]
    answer = score_group(
        _client(url, token or os.environ.get("WRIT_LAB_TOKEN")),
        task_id,
        [trajectory],
        iteration=iteration or os.environ.get("WRIT_LAB_ITERATION") or "latest",
    )
    result = answer["results"][0]
    choice = reward or os.environ.get("WRIT_LAB_REWARD") or "total"
    return {
        "score": float(result["outcome"] if choice == "outcome" else result["reward"]),
        "outcome": int(result["outcome"]),
        "writ_group": str(extra_info.get("writ_group", "")),
        "writ_task_id": task_id,
        "writ_turn_reward_sum": float(result["reward_components"]["turn_reward_sum"]),
        "writ_agent_turns": int(result["reward_components"]["n_turns"]),
        "writ_iteration": int(answer["iteration"]),
    }
