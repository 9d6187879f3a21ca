/**
 * Opening an annotated group (issue 17 §4: at 100,000 rollouts in the database, ≤ 300 ms server time).
 *
 * The group view (components/rollouts/group-view.tsx) asks two things at once when it opens:
 *  - GET /api/groups/:id?siblings=8 (lib/api-client/rollouts.ts groupPagesQueryOptions: every
 *    sibling's summary and the first 8 siblings' messages), and
 *  - GET /api/groups/:id/annotations?iteration=N (annotationsQueryOptions: tier, reward, advantage
 *    and reason of every agent turn under the URL's reward config; here a saved iteration).
 * Server time of an open = the sum of both (one Node process answers them one after the other).
 *
 * Measured, each over several different groups (none opened before in that process), medians in ms:
 *  - in_process: the services the two route handlers call, plus their JSON encoding —
 *    cold (the first open in a fresh process: loads the experiment's stored classification into the
 *    calibration store; one child process per sample) and warm (later opens of other groups);
 *  - http: the same over HTTP against a server — the production server (bin/start.ts) when a build
 *    exists (.next/BUILD_ID), else bench/group-open-server.ts (the same services behind node:http),
 *    or BENCH_BASE=URL for a running server on the same database (then "cold" is only the first
 *    open this bench makes). Client-side latency of the pair sent together, as the browser does.
 *
 * Database: bench/group-open-db.ts (built once, reused; GROUP_OPEN_DB to choose the file).
 * Knobs: GROUP_OPEN_ROLLOUTS (100000), GROUP_OPEN_TURNS (10 agent turns per rollout), GROUP_OPEN_GROUP
 * (8 siblings), GROUP_OPEN_WARM (groups opened warm, 15), GROUP_OPEN_COLD (cold samples, 3),
 * GROUP_OPEN_HTTP=0 to skip the HTTP part.
 * Prints one JSON object.
 *
 * Run: npx tsx bench/group-open.ts
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { closeDb, openDb, type Db } from "../db/client";
import { groupAnnotations } from "../lib/calibration/annotations";
import { annotationQuerySchema, toAnnotationRequest } from "../lib/calibration/annotation-query";
import { getGroupPage } from "../lib/experiments/group-pages";
import { describeGroupOpenDb, defaultDbPath, ensureGroupOpenDb } from "./group-open-db";
import { freePort, waitHealthy } from "./server-process";

const ROOT = resolve(__dirname, "..");
const OPTS = {
  rollouts: Number(process.env.GROUP_OPEN_ROLLOUTS ?? 100_000),
  turns: Number(process.env.GROUP_OPEN_TURNS ?? 10),
  group: Number(process.env.GROUP_OPEN_GROUP ?? 8),
};
const WARM = Math.max(1, Number(process.env.GROUP_OPEN_WARM ?? 15));
const COLD = Math.max(1, Number(process.env.GROUP_OPEN_COLD ?? 3));
const HTTP = process.env.GROUP_OPEN_HTTP !== "0";
/** The view's first page of sibling columns (lib/api-client/rollouts.ts FIRST_SIBLINGS). */
const FIRST_SIBLINGS = 8;
const TARGET_MS = 300;
const DB_PATH = defaultDbPath(OPTS);

const log = (m: string) => process.stderr.write(`[bench:group-open] ${m}\n`);
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null);
const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

interface OpenTiming {
  group_ms: number;
  annotations_ms: number;
  total_ms: number;
  bytes: number;
}

/** One open as the two route handlers do it (service call + JSON encoding), timed per request. */
function openInProcess(db: Db, groupId: string, iterationId: number): OpenTiming {
  const t0 = performance.now();
  const page = JSON.stringify(getGroupPage(db, groupId, FIRST_SIBLINGS, null));
  const t1 = performance.now();
  const req = toAnnotationRequest(annotationQuerySchema.parse({ iteration: String(iterationId) }));
  const ann = JSON.stringify(groupAnnotations(db, groupId, req));
  const t2 = performance.now();
  return { group_ms: t1 - t0, annotations_ms: t2 - t1, total_ms: t2 - t0, bytes: page.length + ann.length };
}

const summary = (xs: OpenTiming[]) => ({
  samples: xs.length,
  group_p50_ms: round(median(xs.map((x) => x.group_ms))),
  annotations_p50_ms: round(median(xs.map((x) => x.annotations_ms))),
  total_p50_ms: round(median(xs.map((x) => x.total_ms))),
  total_max_ms: round(Math.max(...xs.map((x) => x.total_ms))),
  bytes_p50: median(xs.map((x) => x.bytes)),
});

/** Child mode: the first open of a fresh process (what a user meets after a restart). */
function coldChild(groupId: string, iterationId: number): void {
  const db = openDb(DB_PATH);
  const t = openInProcess(db, groupId, iterationId);
  closeDb(db);
  process.stdout.write(JSON.stringify(t) + "\n");
}

function coldInProcess(groups: string[], iterationId: number): OpenTiming[] {
  return groups.map((g) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", __filename, "--cold-child", g, String(iterationId)], {
      cwd: ROOT,
      env: { ...process.env, GROUP_OPEN_DB: DB_PATH },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (r.status !== 0) throw new Error(`cold child exited with ${r.status}`);
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as OpenTiming;
  });
}

/** Both requests sent together, as the view does; per request latency and the pair's wall time. */
async function openOverHttp(base: string, groupId: string, iterationId: number): Promise<OpenTiming> {
  const id = encodeURIComponent(groupId);
  const timed = async (url: string) => {
    const t = performance.now();
    const res = await fetch(url);
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: ${res.status} ${Buffer.from(body).toString("utf8").slice(0, 300)}`);
    return { ms: performance.now() - t, bytes: body.byteLength };
  };
  const t0 = performance.now();
  const [page, ann] = await Promise.all([timed(`${base}/api/groups/${id}?siblings=${FIRST_SIBLINGS}`), timed(`${base}/api/groups/${id}/annotations?iteration=${iterationId}`)]);
  return { group_ms: page.ms, annotations_ms: ann.ms, total_ms: performance.now() - t0, bytes: page.bytes + ann.bytes };
}

async function startServer(): Promise<{ base: string; server: ChildProcess; kind: string }> {
  const port = await freePort();
  const production = existsSync(join(ROOT, ".next", "BUILD_ID"));
  const entry = production ? join(ROOT, "bin", "start.ts") : join(ROOT, "bench", "group-open-server.ts");
  const server = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: ROOT,
    env: { ...process.env, WRIT_DB: DB_PATH, PORT: String(port), WORKERS: "0", WRIT_ACCESS_TOKEN: "", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base, server, 600_000, 200);
  return { base, server, kind: production ? "next-production" : "route-services" };
}

function stopServer(server: ChildProcess): Promise<void> {
  return new Promise((res) => {
    if (!server.pid || server.exitCode !== null) return res();
    server.once("exit", () => res());
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      res();
    }
  });
}

async function httpCase(groups: { cold: string[]; warm: string[] }, iterationId: number) {
  const external = process.env.BENCH_BASE;
  const cold: OpenTiming[] = [];
  const warm: OpenTiming[] = [];
  let kind = "external";
  if (external) {
    cold.push(await openOverHttp(external, groups.cold[0], iterationId));
    for (const g of groups.warm) warm.push(await openOverHttp(external, g, iterationId));
    return { server: kind, base: external, cold_is_first_open_of_this_bench: true, cold: summary(cold), warm: summary(warm) };
  }
  // One fresh server per cold sample; the last one also answers the warm opens.
  for (let i = 0; i < groups.cold.length; i++) {
    const s = await startServer();
    kind = s.kind;
    try {
      cold.push(await openOverHttp(s.base, groups.cold[i], iterationId));
      if (i === groups.cold.length - 1) for (const g of groups.warm) warm.push(await openOverHttp(s.base, g, iterationId));
    } finally {
      await stopServer(s.server);
    }
  }
  return { server: kind, cold: summary(cold), warm: summary(warm) };
}

async function main() {
  if (process.argv[2] === "--cold-child") return coldChild(process.argv[3], Number(process.argv[4]));
  if (!existsSync(DB_PATH)) log(`building ${DB_PATH} (${OPTS.rollouts} rollouts × ${OPTS.turns} agent turns, groups of ${OPTS.group})`);
  else log(`reusing ${DB_PATH}`);
  ensureGroupOpenDb(DB_PATH, OPTS, log);

  const db = openDb(DB_PATH);
  const { experimentId, iterationId } = describeGroupOpenDb(db);
  // Groups spread over the experiment, each opened once per process (cold ones, then warm ones).
  const all = db.$client.prepare(`SELECT id FROM groups WHERE experiment_id = ? ORDER BY position`).pluck().all(experimentId) as string[];
  const spread = (n: number, offset: number) => Array.from({ length: n }, (_, i) => all[Math.floor(((i + offset / 7) * all.length) / n) % all.length]);
  const coldGroups = spread(COLD, 1);
  const warmGroups = spread(WARM, 3).filter((g) => !coldGroups.includes(g));

  log(`in-process cold: ${COLD} fresh processes`);
  const cold = coldInProcess(coldGroups, iterationId);
  log(`in-process warm: ${warmGroups.length} groups`);
  openInProcess(db, coldGroups[0], iterationId); // this process's own first open (the cold one, measured above in children)
  const warm = warmGroups.map((g) => openInProcess(db, g, iterationId));
  closeDb(db);

  let http: Awaited<ReturnType<typeof httpCase>> | "skipped (GROUP_OPEN_HTTP=0)" = "skipped (GROUP_OPEN_HTTP=0)";
  if (HTTP) {
    log("over HTTP");
    http = await httpCase({ cold: spread(COLD, 5), warm: spread(WARM, 6) }, iterationId);
  }
  const meets = (p50: number | null) => (p50 ?? Infinity) <= TARGET_MS;

  const result = {
    bench: "group-open",
    db: { path: DB_PATH, ...OPTS, experiment_id: experimentId, iteration_id: iterationId },
    requests: [`GET /api/groups/:id?siblings=${FIRST_SIBLINGS}`, `GET /api/groups/:id/annotations?iteration=${iterationId}`],
    in_process: { cold: summary(cold), warm: summary(warm) },
    http,
    target_ms: TARGET_MS,
    meets_target: {
      in_process_cold: meets(median(cold.map((x) => x.total_ms))),
      in_process_warm: meets(median(warm.map((x) => x.total_ms))),
      ...(typeof http === "string" ? {} : { http_cold: meets(http.cold.total_p50_ms), http_warm: meets(http.warm.total_p50_ms) }),
    },
  };
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
