"""Streams a synthetic training run through writ_lab, one step at a time (driven by tests/ingest-proof.test.ts).

Env: WRIT_TEST_URL, WRIT_TEST_GROUPS (JSON lines, one group.create body per line, in step order),
WRIT_TEST_RUN_ID, WRIT_TEST_TASK_SET, WRIT_LAB_SPOOL_DIR. Prints "step N" once step N was handed to
the client and flushed (delivered or spooled), and a final JSON summary of what was sent.
Not a unittest module (no test_ prefix): the proof test runs it as a script.
"""

import itertools
import json
import os
import sys

import writ_lab

groups = [json.loads(line) for line in open(os.environ["WRIT_TEST_GROUPS"]) if line.strip()]
run = writ_lab.init(
    os.environ["WRIT_TEST_URL"],
    project="proof",
    run_id=os.environ["WRIT_TEST_RUN_ID"],
    name="synthetic training run",
    task_set=os.environ["WRIT_TEST_TASK_SET"],
    trainer="simulated-grpo",
    flush_interval=0.2,
    max_retries=3,
    backoff=0.2,
    max_backoff=1.0,
)
sent_groups = 0
sent_trajectories = 0
for step, items in itertools.groupby(groups, key=lambda g: g["step"]):
    for g in items:
        run.log_group(g["step"], g["task_id"], g["trajectories"])
        sent_groups += 1
        sent_trajectories += len(g["trajectories"])
    run.flush()
    print(f"step {step}", flush=True)
run.finish()
print(json.dumps({"groups": sent_groups, "trajectories": sent_trajectories, "experiment_id": run.experiment_id, "spool_writes": run.spool_writes}), flush=True)
sys.exit(0)
