"""writ_lab.scoring, writ_lab.verl and writ_lab.trl against a real WRIT Lab scoring server.

The server is started here (tests/reward-serving-server.ts: a temp database with a small
simulated experiment and a saved CALIBRATED iteration, the real route handlers behind a
node:http server with an access token), so the suite needs node and the repository's
node_modules. Expected numbers come from the native endpoint itself, called with urllib.
Standard library only.
"""

import asyncio
import json
import os
import subprocess
import sys
import unittest
import urllib.error
import urllib.request

import writ_lab
from writ_lab import scoring, trl, verl
from writ_lab.client import WritLabError

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SERVER = None
INFO = {}
FIXTURES = {}


def setUpModule():
    global SERVER, INFO, FIXTURES
    SERVER = subprocess.Popen(
        ["node", "--import", "tsx", "tests/reward-serving-server.ts"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=sys.stderr,
        text=True,
    )
    line = SERVER.stdout.readline()
    if not line:
        raise RuntimeError("tests/reward-serving-server.ts did not start")
    INFO = json.loads(line)
    with open(INFO["fixtures"]) as f:
        FIXTURES = json.load(f)


def tearDownModule():
    if SERVER is not None:
        SERVER.stdin.close()
        SERVER.wait(timeout=30)


def native(task_id, trajectories, iteration="latest", estimator=None):
    """The answer of POST /api/v1/reward-configs/{iteration}/score, with urllib."""
    body = {"task_id": task_id, "trajectories": trajectories}
    if estimator:
        body["estimator"] = estimator
    req = urllib.request.Request(
        f"{INFO['url']}/api/v1/reward-configs/{iteration}/score",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {INFO['token']}"},
        method="POST",
    )
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


def plain(group):
    return [{"trajectory_id": t["trajectory_id"], "messages": t["messages"]} for t in group["trajectories"]]


def mixed_group():
    return next(g for g in FIXTURES["groups"] if len({t["outcome"] for t in g["trajectories"]}) == 2)


class CountingClient(scoring.ScoringClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = []

    def _post_json(self, path, body):
        self.calls.append((path, body))
        return super()._post_json(path, body)


class ScoreGroupTest(unittest.TestCase):
    def test_url_client_gives_the_native_answer(self):
        g = mixed_group()
        answer = scoring.score_group(scoring.ScoringClient(INFO["url"], token=INFO["token"]), g["task_id"], plain(g), iteration=FIXTURES["iteration"])
        self.assertEqual(answer, native(g["task_id"], plain(g), iteration=FIXTURES["iteration"]))
        self.assertEqual(answer["iteration"], FIXTURES["iteration"])
        self.assertEqual([r["outcome"] for r in answer["results"]], [t["outcome"] for t in g["trajectories"]])
        self.assertTrue(all(isinstance(t["advantage"], float) for r in answer["results"] for t in r["turns"]))

    def test_single_trajectory_has_no_advantages(self):
        g = mixed_group()
        answer = scoring.score_group(scoring.ScoringClient(INFO["url"], token=INFO["token"]), g["task_id"], plain(g)[:1])
        self.assertEqual(answer["group"]["advantages"], "undefined (single trajectory)")
        self.assertTrue(all(t["advantage"] is None for t in answer["results"][0]["turns"]))

    def test_estimator_override(self):
        g = mixed_group()
        answer = scoring.score_group(scoring.ScoringClient(INFO["url"], token=INFO["token"]), g["task_id"], plain(g), estimator="mt_grpo")
        self.assertEqual(answer["estimator"], "mt_grpo")
        self.assertEqual(answer, native(g["task_id"], plain(g), estimator="mt_grpo"))

    def test_bad_input_raises_naming_the_field(self):
        client = scoring.ScoringClient(INFO["url"], token=INFO["token"])
        with self.assertRaises(WritLabError) as ctx:
            scoring.score_group(client, "no-such-task", plain(mixed_group()))
        self.assertIn("task_id", str(ctx.exception))
        self.assertIn("404", str(ctx.exception))
        with self.assertRaises(WritLabError) as ctx:
            scoring.score_group(scoring.ScoringClient(INFO["url"], token="wrong"), mixed_group()["task_id"], plain(mixed_group()))
        self.assertIn("401", str(ctx.exception))

    def test_run_score_group_and_ingest_through_the_run(self):
        g = mixed_group()
        run = writ_lab.init(INFO["url"], run_id="py-scoring-run", task_set=INFO["task_set"], trainer="test", token=INFO["token"], spool_dir=os.environ.get("WRIT_LAB_SPOOL_DIR"))
        try:
            run.flush(timeout=30)
            answer = run.score_group(g["task_id"], plain(g), iteration=FIXTURES["iteration"])
            self.assertEqual(answer, native(g["task_id"], plain(g), iteration=FIXTURES["iteration"]))
            fresh = [dict(t, trajectory_id="py-" + t["trajectory_id"]) for t in plain(g)]
            stored = run.score_group(g["task_id"], fresh, step=3)
            self.assertEqual(stored["ingested"]["status"], 201)
            self.assertEqual(stored["ingested"]["step"], 3)
        finally:
            run.finish()


def load_like_verl(path):
    """verl's get_custom_reward_fn: the file is executed as a module of its own, outside its package."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("custom_module", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["custom_module"] = module
    spec.loader.exec_module(module)
    return module


class VerlTest(unittest.TestCase):
    def test_compute_score_returns_the_score_and_the_grouping_keys(self):
        g = mixed_group()
        compute_score = getattr(load_like_verl(verl.__file__), "compute_score")
        for t in g["trajectories"]:
            out = compute_score(
                "writ_airline",
                t["solution_str"],
                g["task_id"],
                {"writ_group": "uid-7", "raw_prompt": t["prompt_messages"], "index": 3},
                url=INFO["url"],
                token=INFO["token"],
            )
            ref = native(g["task_id"], [{"trajectory_id": "x", "messages": t["messages"]}])["results"][0]
            self.assertEqual(out["score"], ref["reward"])
            self.assertEqual(out["outcome"], t["outcome"])
            self.assertEqual(out["writ_group"], "uid-7")
            self.assertEqual(out["writ_task_id"], g["task_id"])
            self.assertEqual(out["writ_agent_turns"], len(ref["turns"]))
            self.assertEqual(set(out), {"score", "outcome", "writ_group", "writ_task_id", "writ_turn_reward_sum", "writ_agent_turns", "writ_iteration"})

    def test_task_id_from_extra_info_and_outcome_reward(self):
        g = mixed_group()
        t = next(t for t in g["trajectories"] if t["outcome"] == 1)
        out = verl.compute_score("writ_airline", t["solution_str"], None, {"writ_task_id": g["task_id"], "raw_prompt": t["prompt_messages"]}, url=INFO["url"], token=INFO["token"], reward="outcome")
        self.assertEqual(out["score"], 1.0)
        self.assertEqual(out["writ_group"], "")


class TrlTest(unittest.TestCase):
    class State:
        global_step = 5

    def test_scores_each_group_in_one_call_in_trl_order(self):
        groups = FIXTURES["groups"][:2]
        # TRL's batch: num_generations completions per prompt, interleaved here to check the order kept.
        rows = []
        for g in groups:
            for t in g["trajectories"]:
                first_agent = next(i for i, m in enumerate(t["messages"]) if m["role"] == "user") + 1
                rows.append((g["task_id"], t["messages"][:first_agent], t["messages"][first_agent:], t))
        rows = rows[::2] + rows[1::2]
        client = CountingClient(INFO["url"], token=INFO["token"])
        fn = trl.writ_reward_func(client, iteration=FIXTURES["iteration"])
        self.assertEqual(fn.__name__, "writ_lab")
        logged = {}
        rewards = asyncio.run(
            fn(prompts=[r[1] for r in rows], completions=[r[2] for r in rows], completion_ids=None, task_id=[r[0] for r in rows], trainer_state=self.State(), log_extra=lambda k, v: logged.__setitem__(k, v))
        )
        self.assertEqual(len(client.calls), len(groups))
        self.assertEqual(logged["writ_task_id"], [r[0] for r in rows])
        self.assertEqual(logged["writ_outcome"], [r[3]["outcome"] for r in rows])
        for g in groups:
            members = [r for r in rows if r[0] == g["task_id"]]
            ref = native(g["task_id"], [{"trajectory_id": "x%d" % i, "messages": r[3]["messages"]} for i, r in enumerate(members)], iteration=FIXTURES["iteration"])
            for r, res in zip(members, ref["results"]):
                self.assertEqual(rewards[rows.index(r)], res["reward"])

    def test_ingest_uses_the_trainer_step(self):
        g = mixed_group()
        run = writ_lab.init(INFO["url"], run_id="py-trl-run", task_set=INFO["task_set"], trainer="trl", token=INFO["token"], spool_dir=os.environ.get("WRIT_LAB_SPOOL_DIR"))
        try:
            run.flush(timeout=30)
            seen = []
            original = run._post_json

            def spy(path, body):
                seen.append(body)
                return original(path, body)

            run._post_json = spy
            fn = trl.writ_reward_func(run, ingest=True)
            msgs = [t["messages"] for t in g["trajectories"]]
            rewards = asyncio.run(fn(prompts=[m[:2] for m in msgs], completions=[m[2:] for m in msgs], task_id=[g["task_id"]] * len(msgs), trainer_state=self.State()))
            self.assertEqual(len(rewards), len(msgs))
            self.assertEqual(seen[0]["ingest"], {"run_id": "py-trl-run", "step": 5, "group_id": f"5:{g['task_id']}:0"})
        finally:
            run.finish()

    def test_missing_task_column_is_an_error(self):
        fn = trl.writ_reward_func(INFO["url"])
        with self.assertRaises(WritLabError):
            asyncio.run(fn(prompts=["hi"], completions=["hello"]))


class ShimTest(unittest.TestCase):
    """The shims over HTTP with the request shapes OpenRLHF and slime send (see tests/reward-serving-compat.test.ts)."""

    def post(self, path, body):
        req = urllib.request.Request(INFO["url"] + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", "Authorization": f"Bearer {INFO['token']}"}, method="POST")
        with urllib.request.urlopen(req) as resp:
            return json.loads(resp.read())

    def test_openrlhf_and_slime(self):
        g = mixed_group()
        for t in g["trajectories"]:
            ref = native(g["task_id"], [{"trajectory_id": "x", "messages": t["messages"]}])["results"][0]
            openrlhf = self.post("/api/v1/compat/openrlhf/latest", {"query": [t["query"]], "prompts": [t["prompt"]], "labels": [g["task_id"]]})
            self.assertEqual(openrlhf["rewards"], [ref["reward"]])
            self.assertEqual(openrlhf["scores"], [t["outcome"]])
            slime = self.post("/api/v1/compat/slime/latest", {"prompt": t["prompt_messages"], "response": t["solution_str"], "label": g["task_id"]})
            self.assertEqual(slime["reward"], ref["reward"])
            self.assertEqual(slime["outcome"], t["outcome"])


if __name__ == "__main__":
    unittest.main()
