import { spawn } from "node:child_process";
import { openDb, closeDb } from "/work/main/db/client";
import { insertSyntheticExperiment } from "/work/main/lib/experiments/synthetic";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
async function main() {
const dir = mkdtempSync(join(tmpdir(), "probe-"));
const path = join(dir, "writ.db");
const db = openDb(path);
let t = Date.now();
const { experimentId, rollouts } = insertSyntheticExperiment(db, { tasks: Number(process.env.T ?? 500), groupSize: 8, messagesPerRollout: 40 });
closeDb(db);
console.log("inserted", rollouts, Date.now() - t, "ms");
const child = spawn(process.execPath, ["--require", "./tests/fixtures/route-server-preload.cjs", "--import", "tsx", "/work/main/tests/fixtures/route-server.ts"], { cwd: "/work/main", env: { ...process.env, WRIT_DB: path }, stdio: ["ignore", "pipe", "inherit"] });
const port: number = await new Promise((r) => child.stdout!.once("data", (d) => r(JSON.parse(String(d)).port)));
const base = `http://127.0.0.1:${port}`;
await fetch(`${base}/api/health`);
await (await fetch(`${base}/api/experiments/${experimentId}/export?format=jsonl`)).text(); // warm
t = Date.now();
const lat: number[] = [];
let done = false;
const exp = fetch(`${base}/api/experiments/${experimentId}/export?format=jsonl`).then((r) => r.arrayBuffer()).then((b) => { done = true; return b.byteLength; });
(async () => { while (!done) { const s = Date.now(); await fetch(`${base}/api/health`); lat.push(Date.now() - s); await new Promise((r) => setTimeout(r, 20)); } })();
const bytes = await exp;
await new Promise((r) => setTimeout(r, 300)); console.log("export", bytes, "bytes in", Date.now() - t, "ms; health samples", lat.length, "max", Math.max(...lat), lat.slice(0, 10));
child.kill("SIGTERM");

}
void main();
