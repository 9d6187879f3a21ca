/**
 * Runs every bench/*.ts (except this file) one after another with tsx and prints one JSON
 * object: {"<bench name>": <its JSON output> | {"error": "..."}}. Extra arguments are
 * passed to every bench (e.g. --quick). Benches run sequentially: the machine is small.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";

const dir = __dirname;
/** Modules the benches import or spawn: not benches themselves (a server would never exit). */
const SUPPORT_MODULES = new Set([
  "bulk-insert.ts",
  "frame-stats.ts",
  "group-open-db.ts",
  "group-open-server.ts",
  "load-server.ts",
  "server-process.ts",
]);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== basename(__filename) && !SUPPORT_MODULES.has(f))
  .sort();

const results: Record<string, unknown> = {};
for (const file of files) {
  const name = file.slice(0, -3);
  process.stderr.write(`[bench] ${name} …\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", join(dir, file), ...process.argv.slice(2)], {
    cwd: join(dir, ".."),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const lastLine = run.stdout.trim().split("\n").pop() ?? "";
  try {
    if (run.status !== 0) throw new Error(`exit ${run.status}`);
    results[name] = JSON.parse(lastLine);
  } catch (err) {
    results[name] = { error: `${(err as Error).message}`, output: lastLine.slice(0, 500) };
  }
  process.stderr.write(`[bench] ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(JSON.stringify(results, null, 2) + "\n");
if (Object.values(results).some((r) => r && typeof r === "object" && "error" in r)) process.exitCode = 1;
