/**
 * `npm start` (production) and `npm run dev` (`--dev`): one command for the whole app.
 * 1. validate env, migrate the database, apply the demo seed steps not applied yet;
 * 2. production only: `next build` when there is no build yet (.next/BUILD_ID);
 * 3. run `next start -p PORT` (or `next dev`) and WORKERS worker processes; a worker that
 *    dies is restarted with backoff; SIGTERM/SIGINT are forwarded and we exit when all
 *    children have.
 * Children are plain node processes (`node --import tsx …`, `node next/dist/bin/next …`)
 * so a signal reaches the real process, not a wrapper.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { closeDb, openDb, resolveDbPath } from "../db/client";
import { seedDemo } from "../lib/demo/seed";
import { ensureEnvironments } from "../lib/environment-sources/rows";
import { EnvError, getEnv, POSTGRES_NOT_YET_MESSAGE } from "../lib/settings";

const ROOT = resolve(__dirname, "..");
const NEXT_BIN = join(ROOT, "node_modules", "next", "dist", "bin", "next");
const log = (m: string) => process.stderr.write(`[start] ${m}\n`);

function main() {
  const dev = process.argv.includes("--dev");
  let env;
  try {
    env = getEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      for (const p of err.problems) log(`bad environment variable: ${p}`);
      process.exit(1);
    }
    throw err;
  }
  if (env.DATABASE_URL) {
    log(POSTGRES_NOT_YET_MESSAGE);
    process.exit(1);
  }
  const dbPath = resolveDbPath(env.WRIT_DB);
  const db = openDb(dbPath);
  const seeded = seedDemo(db);
  // The default environments (generated, and TAU2_DATA_DIR's) exist before the first page asks for them.
  ensureEnvironments(db, { tau2DataDir: env.TAU2_DATA_DIR });
  closeDb(db);
  log(`database ${dbPath} migrated${seeded.length ? `; seeded ${seeded.join(", ")}` : ""}`);

  const childEnv: NodeJS.ProcessEnv = { ...process.env, WRIT_DB: dbPath, NEXT_TELEMETRY_DISABLED: "1" };

  if (!dev && !existsSync(join(ROOT, ".next", "BUILD_ID"))) {
    log("no production build found: running next build (a few minutes on 2 cores)");
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { cwd: ROOT, env: childEnv, stdio: "inherit" });
    if (build.status !== 0) {
      log("next build failed");
      process.exit(build.status ?? 1);
    }
  }

  const children = new Set<ChildProcess>();
  let shuttingDown = false;

  const web = spawn(process.execPath, [NEXT_BIN, dev ? "dev" : "start", "-p", String(env.PORT)], {
    cwd: ROOT,
    env: childEnv,
    stdio: "inherit",
  });
  children.add(web);
  web.on("exit", (code, signal) => {
    children.delete(web);
    if (!shuttingDown) {
      log(`web server exited (${signal ?? code}); stopping`);
      shutdown(1);
    }
  });
  log(`web server on http://localhost:${env.PORT} (${dev ? "dev" : "production"}), ${env.WORKERS} worker(s)`);

  for (let i = 0; i < env.WORKERS; i++) superviseWorker(i);

  function superviseWorker(slot: number, delayMs = 1_000) {
    if (shuttingDown) return;
    const startedAt = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "workers", "main.ts")], {
      cwd: ROOT,
      env: childEnv,
      stdio: "inherit",
    });
    children.add(child);
    child.on("exit", (code, signal) => {
      children.delete(child);
      if (shuttingDown) return;
      // A worker that ran a while gets a fresh backoff; one that crashes at once backs off more.
      const next = Date.now() - startedAt > 60_000 ? 1_000 : Math.min(delayMs * 2, 30_000);
      const wait = Date.now() - startedAt > 60_000 ? 1_000 : delayMs;
      log(`worker ${slot} exited (${signal ?? code}); restarting in ${wait} ms`);
      setTimeout(() => superviseWorker(slot, next), wait).unref();
    });
  }

  let exitCode = 0;
  function shutdown(code: number) {
    if (shuttingDown) return;
    shuttingDown = true;
    exitCode = code;
    for (const c of children) c.kill("SIGTERM");
    const force = setTimeout(() => {
      for (const c of children) c.kill("SIGKILL");
    }, 15_000);
    force.unref();
    const check = setInterval(() => {
      if (children.size === 0) {
        clearInterval(check);
        process.exit(exitCode);
      }
    }, 50);
  }

  process.on("SIGTERM", () => shutdown(0));
  process.on("SIGINT", () => shutdown(0));
}

main();
