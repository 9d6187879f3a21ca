/**
 * `writ analyze … | jq`: the CLI's stdout is a pipe, the JSON is far over the pipe's 64 KiB
 * buffer, and the whole document must arrive before the process exits. The real CLI runs
 * as a child process; we read its stdout through a pipe and parse every byte of it.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRollout } from "../lib/rewards/test-helpers";
import { makeTempDir } from "./temp-dir";

const writ = join(__dirname, "..", "bin", "writ.ts");

/** 60 groups × 4 rollouts × 6 turns: about 1,400 turns in the output (a few hundred KB). */
function rolloutsJsonl(): string {
  const gold = [{ name: "cancel_reservation", arguments: { reservation_id: "R1" } }];
  const lines: string[] = [];
  for (let g = 0; g < 60; g++)
    for (let j = 0; j < 4; j++) {
      const pass = (g + j) % 2 === 1;
      const turns = [
        [{ name: "get_user_details", args: { user_id: `u${g}` } }],
        [{ name: "get_reservation_details", args: { reservation_id: "R1" } }],
        "Let me check.",
        pass ? [{ name: "cancel_reservation", args: { reservation_id: "R1" } }] : [{ name: "cancel_reservation", args: { reservation_id: "R9" }, error: true }],
        "Anything else?",
        "Done.",
      ];
      lines.push(JSON.stringify(makeRollout(turns, { rollout_id: `r${g}-${j}`, group_id: `g${g}`, task_id: `t${g}`, outcome: pass ? 1 : 0, gold_actions: gold })));
    }
  return lines.join("\n") + "\n";
}

/**
 * The CLI's stdout is an OS pipe into `cat`, as with `writ … | jq` in a shell. (Node's own
 * stdio "pipe" is a socket pair, on which Node writes synchronously: it never showed the cut.)
 * pipefail: the exit status is the CLI's.
 */
function runPiped(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", 'set -o pipefail; "$@" | cat', "bash", process.execPath, "--import", "tsx", writ, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

describe("writ CLI output through a pipe", () => {
  it("writ analyze prints the whole JSON document (> 64 KiB) before exiting", async () => {
    const dir = makeTempDir("writ-pipe-");
    writeFileSync(join(dir, "r.jsonl"), rolloutsJsonl());
    writeFileSync(join(dir, "c.json"), '{"estimator": "mt_grpo"}');
    const res = await runPiped(["analyze", "--rollouts", join(dir, "r.jsonl"), "--config", join(dir, "c.json")]);
    expect(res.code, res.stderr).toBe(0);
    expect(Buffer.byteLength(res.stdout)).toBeGreaterThan(2 * 65_536);
    const doc = JSON.parse(res.stdout) as { turns: unknown[] };
    expect(doc.turns).toHaveLength(240 * 6);
  }, 60_000);
});
