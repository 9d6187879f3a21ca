"""Python half of bench/ingest.ts: streams one training step through the writ_lab client.

Usage: python3 bench/ingest_python.py URL STEP_JSON RUN_ID TASK_SET
STEP_JSON holds {"groups": [{"step", "group_id", "task_id", "trajectories": [...]}, ...]} as
lib/ingest/simulate.ts makes them. Loading it is not timed; from writ_lab.init to the return of
run.finish() (every event delivered and answered) is. Prints {"seconds": …, "events": …}.
The writ_lab package is the one on PYTHONPATH (bench/ingest.ts points it at the tree measured).
"""

import json
import sys
import tempfile
import time

import writ_lab


def main() -> None:
    url, step_path, run_id, task_set = sys.argv[1:5]
    with open(step_path, "r", encoding="utf-8") as f:
        groups = json.load(f)["groups"]
    for g in groups:
        g["trajectories"] = [dict(t, trajectory_id=f"{run_id}-{t['trajectory_id']}") for t in g["trajectories"]]
    with tempfile.TemporaryDirectory() as spool:
        t0 = time.perf_counter()
        run = writ_lab.init(url, run_id=run_id, task_set=int(task_set) if task_set.isdigit() else task_set, trainer="bench", spool_dir=spool)
        for g in groups:
            run.log_group(g["step"], g["task_id"], g["trajectories"], group_id=g["group_id"])
        run.finish()
        seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "events": run.sent_events}))


if __name__ == "__main__":
    main()
