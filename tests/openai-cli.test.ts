/** `writ run` end to end with OpenAI drivers on both sides against the stub server. */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getGeneratedState } from "../lib/airline";
import { rolloutSchema } from "../lib/types/rollout";
import { reply, startStubServer, type StubServer } from "./stub-openai-server";
import { makeTempDir } from "./temp-dir";

const run = promisify(execFile);
const KEY = "sk-cli-test-KEY-9876543210";
const writ = join(__dirname, "..", "bin", "writ.ts");

let stub: StubServer;
let dir: string;
const userId = Object.keys(getGeneratedState().users)[0];

beforeAll(async () => {
  dir = makeTempDir("writ-run-");
  stub = await startStubServer({
    handler: (req) => {
      const msgs = req.body?.messages ?? [];
      if (!Array.isArray(req.body?.tools)) return reply.text(msgs.some((m) => m.role === "assistant") ? "Great. ###STOP###" : "I need a $100 certificate.");
      return msgs[msgs.length - 1]?.role === "tool"
        ? reply.text("Sent you a certificate.")
        : reply.toolCalls([{ name: "send_certificate", arguments: { user_id: userId, amount: 100 } }]);
    },
  });
  writeFileSync(
    join(dir, "tasks.json"),
    JSON.stringify([
      {
        id: "c1",
        user_scenario: { instructions: { domain: "airline", reason_for_call: "certificate" } },
        evaluation_criteria: { actions: [{ action_id: "a", name: "send_certificate", arguments: { user_id: userId, amount: 100 } }], communicate_info: [], reward_basis: ["DB", "COMMUNICATE"] },
      },
    ]),
  );
});
afterAll(async () => {
  await stub?.close();
});

const baseArgs = () => ["--import", "tsx", writ, "run", "--tasks", join(dir, "tasks.json"), "--agent", "openai", "--user", "openai", "--model", "m", "--base-url", stub.baseURL, "--group-size", "2", "--concurrency", "2", "--out", join(dir, "out.jsonl")];

describe("writ run", () => {
  it("writes rollout JSON lines and prints the summary; the key is sent as a header only and never written", async () => {
    const { stdout } = await run(process.execPath, baseArgs(), { env: { ...process.env, OPENAI_API_KEY: KEY } });
    const summary = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(summary).toMatchObject({ rollouts: 2, pass_rate: 1, pass_hat_k: { "1": 1, "2": 1 } });
    expect((summary.tokens as { prompt_tokens: number }).prompt_tokens).toBeGreaterThan(0);
    const text = readFileSync(join(dir, "out.jsonl"), "utf8");
    const lines = text.trim().split("\n").map((l) => rolloutSchema.parse(JSON.parse(l)));
    expect(lines.map((r) => r.sample_index).sort()).toEqual([0, 1]);
    expect(lines.every((r) => r.termination === "user_stop" && r.outcome === 1)).toBe(true);
    expect(text).not.toContain(KEY);
    expect(stub.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    for (const r of stub.requests) expect(r.rawBody).not.toContain(KEY);
  });

  it("refuses a key given as an argument and a missing --api-key-env variable", async () => {
    await expect(run(process.execPath, [...baseArgs(), "--api-key", KEY])).rejects.toMatchObject({ code: 2 });
    const err = await run(process.execPath, [...baseArgs(), "--api-key-env", "WRIT_TEST_UNSET_VAR"]).catch((e: { stderr: string; code: number }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(/WRIT_TEST_UNSET_VAR is not set/);
  });
});
