"""The client against a real WRIT Lab ingestion server (started by tests/python-client.test.ts).

Environment: WRIT_TEST_URL (server), WRIT_TEST_DB (its SQLite file, read here to check what
landed), WRIT_TEST_FIXTURES (JSON: simulated groups), WRIT_TEST_TASK_SET (task set name).
Standard library only.
"""

import http.server
import json
import os
import sqlite3
import tempfile
import threading
import unittest
import urllib.request
import uuid

import writ_lab

URL = os.environ.get("WRIT_TEST_URL")
DB = os.environ.get("WRIT_TEST_DB")
TASK_SET = os.environ.get("WRIT_TEST_TASK_SET")
TOKEN = os.environ.get("WRIT_TEST_TOKEN")
GROUPS = json.load(open(os.environ["WRIT_TEST_FIXTURES"])) if os.environ.get("WRIT_TEST_FIXTURES") else []


def db_rows(sql, *args):
    con = sqlite3.connect(f"file:{DB}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def run_counts(run_id):
    groups = db_rows("SELECT count(*) FROM groups g JOIN experiments e ON e.id = g.experiment_id WHERE e.external_run_id = ?", run_id)[0][0]
    rollouts = db_rows("SELECT count(*) FROM rollouts r JOIN experiments e ON e.id = r.experiment_id WHERE e.external_run_id = ?", run_id)[0][0]
    return groups, rollouts


def fresh_trajectories(group, run_id):
    """The fixture's trajectories under ids unique to this run."""
    return [dict(t, trajectory_id=f"{run_id}:{t['trajectory_id']}") for t in group["trajectories"]]


class FlakyProxy:
    """Forwards to the server, but answers `fail` requests with 503 first (or holds every request while `gate` is clear)."""

    def __init__(self, fail=0):
        self.fail = fail
        self.requests = 0
        #: Events per request, in arrival order.
        self.batch_sizes = []
        self.gate = threading.Event()
        self.gate.set()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                proxy.requests += 1
                proxy.batch_sizes.append(len(json.loads(body)["batch"]))
                proxy.gate.wait()
                if proxy.fail > 0:
                    proxy.fail -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                headers = {"Content-Type": "application/json", "Authorization": self.headers.get("Authorization", "")}
                req = urllib.request.Request(URL + self.path, data=body, headers=headers, method="POST")
                try:
                    with urllib.request.urlopen(req) as resp:
                        status, data = resp.status, resp.read()
                except urllib.error.HTTPError as err:
                    status, data = err.code, err.read()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()


@unittest.skipUnless(URL and DB and GROUPS, "needs WRIT_TEST_URL, WRIT_TEST_DB and WRIT_TEST_FIXTURES (run through npm test)")
class ClientTest(unittest.TestCase):
    def setUp(self):
        self.spool = tempfile.mkdtemp(prefix="writ-spool-")
        self.run_id = "py-" + uuid.uuid4().hex[:8]

    def init(self, url=None, **kw):
        opts = dict(spool_dir=self.spool, flush_interval=0.05, backoff=0.01, max_backoff=0.05, max_retries=2, token=TOKEN)
        opts.update(kw)
        return writ_lab.init(url or URL, project="tests", run_id=self.run_id, name="python client test", task_set=TASK_SET, trainer="unittest", **opts)

    def test_groups_land_once_with_default_group_ids(self):
        run = self.init()
        g = GROUPS[0]
        ids = [run.log_group(g["step"], g["task_id"], fresh_trajectories(g, self.run_id + str(i))) for i in range(2)]
        self.assertEqual(ids, [f"{g['step']}:{g['task_id']}:0", f"{g['step']}:{g['task_id']}:1"])
        run.finish()
        self.assertEqual(run_counts(self.run_id), (2, 2 * len(g["trajectories"])))
        status, name, source = db_rows("SELECT status, name, source FROM experiments WHERE external_run_id = ?", self.run_id)[0]
        self.assertEqual((status, name, source), ("completed", "python client test", "training"))
        stored = db_rows("SELECT DISTINCT external_id FROM groups WHERE experiment_id = ?", run.experiment_id)
        self.assertEqual(sorted(r[0] for r in stored), sorted(ids))

    def test_finish_raises_listing_rejected_events(self):
        run = self.init()
        g = GROUPS[0]
        run.log_group(g["step"], g["task_id"], fresh_trajectories(g, self.run_id))
        run.log_group(g["step"], "no-such-task", fresh_trajectories(g, self.run_id + "x"))
        with self.assertRaises(writ_lab.WritLabError) as ctx:
            run.finish()
        self.assertEqual(len(ctx.exception.rejected), 1)
        self.assertEqual(ctx.exception.rejected[0]["field"], "body.task_id")
        self.assertIn("no-such-task", str(ctx.exception))
        self.assertEqual(run_counts(self.run_id), (1, len(g["trajectories"])))

    def test_a_full_batch_goes_out_whole(self):
        # Room for 2.5 group events: the run.upsert and two groups fill a request, the third
        # group opens the next one (never a full request followed by a one-event remainder).
        g = GROUPS[0]
        event = {"id": uuid.uuid4().hex, "type": "group.create", "body": {"run_id": self.run_id, "step": 0, "group_id": "0:x:0", "task_id": g["task_id"], "trajectories": fresh_trajectories(g, self.run_id)}}
        proxy = FlakyProxy()
        try:
            run = self.init(proxy.url, batch_bytes=int(len(json.dumps(event)) * 2.5), flush_interval=30)
            for i in range(5):
                run.log_group(0, g["task_id"], fresh_trajectories(g, f"{self.run_id}-{i}"))
            run.finish()
        finally:
            proxy.close()
        self.assertEqual(proxy.batch_sizes, [3, 2, 2])
        self.assertEqual(run_counts(self.run_id), (5, 5 * len(g["trajectories"])))

    def test_retries_5xx_without_counting_twice(self):
        proxy = FlakyProxy(fail=2)
        try:
            run = self.init(proxy.url, max_retries=4)
            for g in GROUPS[:2]:
                run.log_group(g["step"], g["task_id"], fresh_trajectories(g, self.run_id))
            run.finish()
        finally:
            proxy.close()
        self.assertGreaterEqual(proxy.requests, 3)
        self.assertEqual(run_counts(self.run_id), (2, sum(len(g["trajectories"]) for g in GROUPS[:2])))

    def test_server_down_spools_then_next_init_replays(self):
        dead = "http://127.0.0.1:9"  # discard port: nothing listens
        run = self.init(dead)
        for g in GROUPS[:3]:
            run.log_group(g["step"], g["task_id"], fresh_trajectories(g, self.run_id))
        with self.assertRaises(writ_lab.WritLabError) as ctx:
            run.finish()
        self.assertTrue(ctx.exception.spool_path and os.path.exists(ctx.exception.spool_path))
        self.assertEqual(run_counts(self.run_id), (0, 0))
        spooled = open(ctx.exception.spool_path).read().count("\n")
        self.assertEqual(spooled, 1 + 3 + 1)  # run.upsert, three groups, run.finish

        again = self.init()  # same run id, server up: the spool goes first
        g = GROUPS[3]
        again.log_group(g["step"], g["task_id"], fresh_trajectories(g, self.run_id))
        again.finish()
        self.assertFalse(os.path.exists(ctx.exception.spool_path))
        self.assertEqual(run_counts(self.run_id), (4, sum(len(g["trajectories"]) for g in GROUPS[:4])))

    def test_replaying_the_same_groups_is_a_no_op(self):
        for _ in range(2):
            run = self.init()
            for g in GROUPS[:2]:
                run.log_group(g["step"], g["task_id"], fresh_trajectories(g, self.run_id))
            run.finish()
        self.assertEqual(run_counts(self.run_id), (2, sum(len(g["trajectories"]) for g in GROUPS[:2])))

    def test_log_group_returns_while_the_server_is_held(self):
        proxy = FlakyProxy()
        proxy.gate.clear()  # every request waits until the gate opens
        try:
            run = self.init(proxy.url)
            g = GROUPS[0]
            run.log_group(g["step"], g["task_id"], fresh_trajectories(g, self.run_id))
            # log_group returned although no request has been answered yet.
            self.assertEqual(run_counts(self.run_id), (0, 0))
            proxy.gate.set()
            run.finish()
        finally:
            proxy.close()
        self.assertEqual(run_counts(self.run_id)[0], 1)

    def test_the_access_token_applies(self):
        good = self.init()
        self.assertEqual(good._post_json("/api/v1/ingest", {"batch": []}), (207, {"successes": [], "errors": []}))
        good.finish()
        self.run_id += "-wrong"
        bad = self.init(token="not-the-token-at-all")
        status, body = bad._post_json("/api/v1/ingest", {"batch": []})
        self.assertEqual(status, 401)
        with self.assertRaises(writ_lab.WritLabError) as ctx:
            bad.finish()
        self.assertEqual({r["status"] for r in ctx.exception.rejected}, {401})
        self.assertEqual(run_counts(self.run_id), (0, 0))


if __name__ == "__main__":
    unittest.main()
