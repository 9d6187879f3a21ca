"""TRL ``reward_funcs`` backed by WRIT Lab's reward serving.

    from trl import GRPOTrainer
    import writ_lab
    from writ_lab.trl import writ_reward_func

    run = writ_lab.init("http://writ-lab:3000", run_id="qwen3-grpo-1", task_set="Demo: WRIT 5×5 grid", trainer="trl")
    trainer = GRPOTrainer(..., reward_funcs=[writ_reward_func(run, iteration=12)])

TRL calls a reward function as ``reward_func(prompts=…, completions=…, completion_ids=…,
**kwargs)`` where ``kwargs`` holds every dataset column and ``trainer_state``
(trl/trainer/grpo_trainer.py), and runs async reward functions concurrently. This one:

* groups the batch by task id (the dataset column ``task_id_column``, default "task_id"), so the
  ``num_generations`` completions of a prompt are scored as ONE group in ONE call, all groups
  concurrently;
* reads the step from ``trainer_state.global_step``; with a :class:`writ_lab.Run` and
  ``ingest=True`` each scored group is also stored into the run at that step;
* logs ``writ_task_id`` and ``writ_outcome`` columns through TRL's ``log_extra`` (so
  ``writ ingest --from trl`` can regroup the completion parquet files);
* returns one float per completion (``reward``: "total" = outcome + Σ turn rewards, or
  "outcome") in the order TRL passed them, or ``None`` for a completion it could not score when
  ``on_error="none"`` (TRL treats None as "not applicable").

Conversational data: prompts and completions are message lists (tool results as
``{"role": "tool", ...}``), sent as messages. Plain text: the completion is sent as a
response that follows the prompt.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Dict, List, Optional

from .client import WritLabError
from .scoring import client_of, score_group


def _trajectory(prompt: Any, completion: Any, i: int) -> Dict[str, Any]:
    if isinstance(completion, list):
        head = [dict(m) for m in prompt] if isinstance(prompt, list) else ([{"role": "user", "content": str(prompt)}] if prompt else [])
        return {"trajectory_id": f"c{i}", "messages": head + [dict(m) for m in completion]}
    t: Dict[str, Any] = {"trajectory_id": f"c{i}", "response_text": str(completion)}
    if isinstance(prompt, list):
        t["messages"] = [dict(m) for m in prompt]
    elif prompt:
        t["messages"] = [{"role": "user", "content": str(prompt)}]
    return t


def writ_reward_func(
    run_or_client: Any,
    iteration: Any = "latest",
    estimator: Optional[str] = None,
    task_id_column: str = "task_id",
    reward: str = "total",
    ingest: bool = False,
    on_error: str = "raise",
) -> Callable[..., Any]:
    """An async TRL reward function; ``run_or_client`` is a :class:`writ_lab.Run`, a ScoringClient or a URL."""
    client = client_of(run_or_client)
    if reward not in ("total", "outcome"):
        raise ValueError('reward must be "total" or "outcome"')
    if ingest and not getattr(client, "run_id", None):
        raise ValueError("ingest=True needs a writ_lab.Run")

    async def writ_lab_reward(prompts: List[Any], completions: List[Any], completion_ids: Any = None, trainer_state: Any = None, **kwargs: Any) -> List[Optional[float]]:
        task_ids = kwargs.get(task_id_column)
        if task_ids is None:
            raise WritLabError(f"writ_lab reward: the dataset needs a {task_id_column!r} column (the WRIT Lab task id of each prompt)")
        step = int(getattr(trainer_state, "global_step", 0) or 0) if trainer_state is not None else None
        groups: Dict[str, List[int]] = {}
        for i, task in enumerate(task_ids):
            groups.setdefault(str(task), []).append(i)

        def score(task: str, members: List[int]) -> Dict[str, Any]:
            return score_group(
                client,
                task,
                [_trajectory(prompts[i], completions[i], i) for i in members],
                iteration=iteration,
                estimator=estimator,
                step=step if ingest else None,
                group_id=f"{step}:{task}:{members[0]}" if ingest else None,
            )

        loop = asyncio.get_running_loop()
        answers = await asyncio.gather(*(loop.run_in_executor(None, score, task, members) for task, members in groups.items()), return_exceptions=True)
        out: List[Optional[float]] = [None] * len(completions)
        outcomes: List[Optional[int]] = [None] * len(completions)
        for (task, members), answer in zip(groups.items(), answers):
            if isinstance(answer, BaseException):
                if on_error == "none":
                    continue
                raise answer
            for i, result in zip(members, answer["results"]):
                out[i] = float(result["outcome"] if reward == "outcome" else result["reward"])
                outcomes[i] = int(result["outcome"])
        # TRL's completion table (and its parquet dumps) get the task id and the outcome, which is
        # what `writ ingest --from trl` regroups rows by (column writ_task_id).
        log_extra = kwargs.get("log_extra")
        if callable(log_extra):
            log_extra("writ_task_id", [str(t) for t in task_ids])
            log_extra("writ_outcome", outcomes)
        return out

    writ_lab_reward.__name__ = "writ_lab"
    return writ_lab_reward
