/**
 * Export under load (issue 20, item 7): a real server process (tests/fixtures/route-server.ts:
 * the app's route handlers behind Next.js's response pipe) streams a synthetic experiment's
 * export to a client reading as fast as it can, while another client asks /api/health every
 * 50 ms. Prints rollouts/s and MB/s of the export, /api/health latency p50/p99/max during it,
 * the time to the first byte (for rl: loading the experiment's per-turn classification, the
 * one step that is not sliced; the synthetic experiment has no stored classes, so this is the
 * slow path of classifying from the messages), and the server's peak RSS (VmHWM) and RSS before.
 *
 * Env: BENCH_EXPORT_ROLLOUTS (default 20000; the case is 100000), BENCH_EXPORT_MESSAGES
 * (messages per rollout, default 36), BENCH_EXPORT_FORMATS (comma-separated, default
 * "jsonl,rl"; rl = the compact layout, "rl-full" = one line per turn).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb, openDb } from "../db/client";
import { insertSyntheticExperiment } from "../lib/experiments/store/synthetic";
import { NAIVE_V5 } from "../lib/rewards";
import { startRouteServer } from "../tests/route-server";

const ROLLOUTS = Number(process.env.BENCH_EXPORT_ROLLOUTS ?? 20_000);
const MESSAGES = Number(process.env.BENCH_EXPORT_MESSAGES ?? 36);
const FORMATS = (process.env.BENCH_EXPORT_FORMATS ?? "jsonl,rl").split(",").map((s) => s.trim()).filter(Boolean);
const GROUP = 8;

const QUERIES: Record<string, string> = {
  jsonl: "format=jsonl",
  sft: "format=sft",
  tau2: "format=tau2",
  rl: `format=rl&rl_layout=compact&config=${encodeURIComponent(JSON.stringify(NAIVE_V5))}`,
  "rl-full": `format=rl&rl_layout=full&config=${encodeURIComponent(JSON.stringify(NAIVE_V5))}`,
};

function procKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return m ? Number(m[1]) : NaN;
}
const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "writ-bench-export-"));
  const path = join(dir, "writ.db");
  const db = openDb(path);
  const t0 = performance.now();
  const { experimentId, rollouts } = insertSyntheticExperiment(db, { tasks: Math.ceil(ROLLOUTS / GROUP), groupSize: GROUP, messagesPerRollout: MESSAGES, seed: 11 });
  closeDb(db);
  process.stderr.write(`[export] ${rollouts} rollouts × ${MESSAGES} messages inserted in ${Math.round(performance.now() - t0)} ms\n`);
  const server = await startRouteServer(path);
  const pid = server.child.pid!;
  const results: Record<string, unknown> = {};
  try {
    await fetch(`${server.base}/api/health`);
    for (const format of FORMATS) {
      const query = QUERIES[format];
      if (!query) throw new Error(`BENCH_EXPORT_FORMATS: unknown format "${format}" (one of ${Object.keys(QUERIES).join(", ")})`);
      const rssBefore = procKb(pid, "VmRSS");
      const latencies: number[] = [];
      const errors: string[] = [];
      let exporting = true;
      const prober = (async () => {
        while (exporting) {
          const s = performance.now();
          try {
            await (await fetch(`${server.base}/api/health`)).text();
          } catch (err) {
            if (exporting) errors.push(String((err as Error).cause ?? err));
            continue;
          }
          if (exporting) latencies.push(performance.now() - s);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const started = performance.now();
      const res = await fetch(`${server.base}/api/experiments/${experimentId}/export?${query}`);
      if (res.status !== 200) throw new Error(`${format}: HTTP ${res.status} ${await res.text()}`);
      let bytes = 0;
      let firstByteMs: number | null = null;
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        firstByteMs ??= performance.now() - started;
        bytes += value.byteLength;
      }
      const seconds = (performance.now() - started) / 1000;
      exporting = false;
      await prober;
      results[format] = {
        seconds: Math.round(seconds * 100) / 100,
        // rl: includes the one unsliced step, loading the experiment's per-turn classification.
        first_byte_ms: firstByteMs === null ? null : Math.round(firstByteMs),
        rollouts_per_s: Math.round(rollouts / seconds),
        mb: Math.round(bytes / 1e5) / 10,
        mb_per_s: Math.round(bytes / 1e5 / seconds) / 10,
        health_during_export: { n: latencies.length, p50_ms: quantile(latencies, 0.5), p99_ms: quantile(latencies, 0.99), max_ms: quantile(latencies, 1), failed: errors.length },
        server_rss_before_mb: Math.round(rssBefore / 1024),
        server_rss_peak_mb: Math.round(procKb(pid, "VmHWM") / 1024),
      };
      process.stderr.write(`[export] ${format}: ${JSON.stringify(results[format])}\n`);
    }
  } catch (err) {
    process.stderr.write(`[export] server output:\n${server.output().slice(-3000)}\n`);
    throw err;
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ bench: "export", rollouts, messages_per_rollout: MESSAGES, formats: results }) + "\n");
}

main().catch((err) => {
  process.stderr.write(`[export] ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
