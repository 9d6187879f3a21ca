/**
 * A real HTTP server for the Python client's reward-serving tests (clients/python/tests/
 * test_scoring*.py), which start it themselves: `node --import tsx tests/reward-serving-server.ts`.
 *
 * It makes a temp database holding a small simulated experiment with a saved CALIBRATED
 * iteration, writes a fixture file (groups with their messages, plus each trajectory rendered
 * by the Qwen2.5 chat template the way verl decodes it), serves the scoring route, the shims and
 * the ingestion route through the same handler modules Next.js runs (with WRIT_ACCESS_TOKEN
 * checked as proxy.ts does), and prints one JSON line `{"url", "fixtures", "token", "task_set"}`.
 * It removes its temp directory when stdin closes or on SIGTERM.
 * WRIT_SERVE_DEMO=1 (bench/reward-serving.ts): the demo task set instead, with no rollouts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

type Handler = (req: Request, ctx: { params: Promise<{ iteration: string }> }) => Promise<Response>;

const TOKEN = "reward-serving-python-token";

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return new Request(new URL(req.url ?? "/", "http://127.0.0.1"), { method: req.method, headers, body: Readable.toWeb(req) as ReadableStream, duplex: "half" } as RequestInit);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "writ-reward-py-"));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.env.WRIT_DB = join(dir, "writ.db");
  process.env.WRIT_ACCESS_TOKEN = TOKEN;
  process.env.WRIT_ANALYSIS_THREAD = "0";

  const { getDb } = await import("../db/server");
  const { experiments, taskSets } = await import("../db/schema");
  const { eq } = await import("drizzle-orm");
  const { createIteration } = await import("../lib/calibration/iterations");
  const { CALIBRATED } = await import("../lib/rewards");
  const { AIRLINE_TOOL_SCHEMAS } = await import("../lib/airline");
  const { isAuthorized } = await import("../lib/auth/access-token");
  const { fixtureRollouts, insertExperiment } = await import("./calibration-fixtures");
  const { renderQwen25, toTemplateMessages } = await import("./qwen-template");
  const score = await import("../app/api/v1/reward-configs/[iteration]/score/route");
  const openrlhf = await import("../app/api/v1/compat/openrlhf/[iteration]/route");
  const slime = await import("../app/api/v1/compat/slime/[iteration]/route");
  const ingest = await import("../app/api/v1/ingest/route");

  const { synthesizeDemoTasks } = await import("../lib/demo/pipeline");
  const { tasks, rollouts } = process.env.WRIT_SERVE_DEMO === "1" ? { tasks: synthesizeDemoTasks(), rollouts: [] } : await fixtureRollouts(3);
  const db = getDb();
  const experimentId = insertExperiment(db, "python scoring", tasks, rollouts);
  const iteration = createIteration(db, { experiment_id: experimentId, config: CALIBRATED, note: "calibrated" });
  const setId = db.select({ t: experiments.taskSetId }).from(experiments).where(eq(experiments.id, experimentId)).get()!.t!;
  const setName = db.select({ n: taskSets.name }).from(taskSets).where(eq(taskSets.id, setId)).get()!.n;

  const groups = tasks.map((t) => ({
    task_id: t.id,
    trajectories: rollouts
      .filter((r) => r.task_id === t.id)
      .map((r) => {
        const chat = toTemplateMessages(r.messages, "You are an airline agent.");
        const firstUser = chat.findIndex((m) => m.role === "user");
        const prompt = renderQwen25(chat.slice(0, firstUser + 1), { tools: AIRLINE_TOOL_SCHEMAS, addGenerationPrompt: true });
        const full = renderQwen25(chat, { tools: AIRLINE_TOOL_SCHEMAS });
        return {
          trajectory_id: r.rollout_id,
          messages: r.messages,
          outcome: r.outcome,
          // OpenRLHF: the query decoded with special tokens, and its templated prompt.
          query: full,
          prompt,
          // verl: prompt messages in extra_info, the response decoded with skip_special_tokens=True.
          prompt_messages: chat.slice(1, firstUser + 1),
          solution_str: full.slice(prompt.length).replace(/<\|im_start\|>|<\|im_end\|>/g, ""),
        };
      }),
  }));
  const fixtures = join(dir, "fixtures.json");
  writeFileSync(fixtures, JSON.stringify({ iteration: iteration.id, groups }));

  const routes: Record<string, Handler> = { score: score.POST, openrlhf: openrlhf.POST, slime: slime.POST };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const send = async (r: Response) => {
      res.statusCode = r.status;
      r.headers.forEach((v, k) => res.setHeader(k, v));
      res.end(Buffer.from(await r.arrayBuffer()));
    };
    const fail = (err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    };
    if (!isAuthorized({ authorization: req.headers.authorization ?? null, sessionCookie: undefined }, TOKEN)) {
      send(Response.json({ error: { code: "unauthorized", message: "missing or invalid access token" } }, { status: 401 })).catch(fail);
      return;
    }
    let m: RegExpMatchArray | null;
    if (req.method === "POST" && path === "/api/v1/ingest") ingest.POST(toRequest(req)).then(send, fail);
    else if (req.method === "POST" && (m = path.match(/^\/api\/v1\/reward-configs\/([^/]+)\/score$/))) routes.score(toRequest(req), { params: Promise.resolve({ iteration: m[1] }) }).then(send, fail);
    else if (req.method === "POST" && (m = path.match(/^\/api\/v1\/compat\/(openrlhf|slime)\/([^/]+)$/))) routes[m[1]](toRequest(req), { params: Promise.resolve({ iteration: m[2] }) }).then(send, fail);
    else send(Response.json({ error: { code: "not_found", message: `no route ${req.method} ${path}` } }, { status: 404 })).catch(fail);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () => {
    server.closeAllConnections();
    server.close();
    cleanup();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.stdin.on("end", stop);
  process.stdin.resume();
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}`, fixtures, token: TOKEN, task_set: setName, iteration: iteration.id, pid: process.pid }) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`reward-serving-server: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
