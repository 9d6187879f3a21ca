/**
 * The ingestion fast path stores what the straightforward path stores:
 *  - lib/ingest/store/message-rows.ts (multi-row INSERTs from the bodies events.ts serialised) gives
 *    the same rollout_messages rows (ids included), message_contents rows and message-search
 *    index entries as db/queries/rollouts.ts `insertRolloutMessage` called once per message;
 *  - events.ts builds a trajectory's content hash from those bodies, and it stays the sha256 of
 *    JSON.stringify of the normalised trajectory (what earlier versions stored), so a replay of
 *    a group stored before still answers "unchanged".
 */
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { closeDb, openDb, type Db } from "../db/client";
import { insertRolloutMessage } from "../db/queries/rollouts";
import { parseGroupBody } from "../lib/ingest/events";
import { insertMessageRows, planMessageRows, ROWS_PER_STATEMENT } from "../lib/ingest/store/message-rows";
import { simulateStep } from "../lib/ingest/simulate";
import type { Message } from "../lib/types/messages";
import { synthesizeSmall } from "./experiments-fixtures";
import { makeTempDir } from "./temp-dir";

/** Every stored row the two paths may write, as comparable text (search index read through fts5vocab). */
function storedRows(db: Db): Record<string, unknown[]> {
  const c = db.$client;
  c.exec("CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, message_search, 'instance')");
  return {
    messages: c.prepare("SELECT * FROM rollout_messages ORDER BY id").all(),
    contents: c.prepare("SELECT * FROM message_contents ORDER BY id").all(),
    search: c.prepare("SELECT term, doc, col, offset FROM temp.search_vocab ORDER BY doc, col, offset, term").all(),
  };
}

function freshDb(dir: string, name: string): Db {
  const db = openDb(join(dir, name));
  // Message rows alone: no rollout rows are needed to compare them.
  db.$client.pragma("foreign_keys = OFF");
  return db;
}

async function trajectories(): Promise<{ rolloutId: string; messages: Message[] }[]> {
  const tasks = synthesizeSmall([{ writes: 2, evidence: 4, count: 2 }]);
  const groups = await simulateStep(tasks, 0, 2, 3);
  const out = groups.flatMap((g, k) => g.trajectories.map((t, i) => ({ rolloutId: `r-${k}-${i}`, messages: t.messages })));
  // Edge cases beside the simulated ones: a large tool result (split into message_contents), the
  // same one again, a tool error, a short tool result (inline), an assistant error and usage.
  const big = "x".repeat(300);
  out.push({
    rolloutId: "r-edge",
    messages: [
      { role: "assistant", content: "Hi! How can I help you today?" },
      { role: "user", content: "cancel it" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", name: "get_user_details", arguments: { user_id: "a_b_1" } }], usage: { prompt_tokens: 5, completion_tokens: 2 } },
      { role: "tool", tool_call_id: "c1", content: big, error: false },
      { role: "tool", tool_call_id: "c1", content: big, error: true },
      { role: "tool", tool_call_id: "c1", content: "short", error: false },
      { role: "assistant", content: "oops", error: "model timeout" },
    ],
  });
  return out;
}

describe("ingestion message rows", () => {
  it("multi-row inserts store the same rows, contents and search entries as one insert per message", async () => {
    const dir = makeTempDir("writ-ingest-rows-");
    const list = await trajectories();
    expect(list.reduce((n, t) => n + t.messages.length, 0)).toBeGreaterThan(ROWS_PER_STATEMENT * 2);

    const reference = freshDb(dir, "reference.db");
    for (const t of list) t.messages.forEach((m, idx) => insertRolloutMessage(reference, t.rolloutId, idx, m));
    // A replayed message (same rollout and index) is ignored by both paths.
    insertRolloutMessage(reference, list[0].rolloutId, 0, { role: "user", content: "changed" });

    const fast = freshDb(dir, "fast.db");
    insertMessageRows(
      fast.$client,
      list.map((t) => ({ rolloutId: t.rolloutId, plan: planMessageRows(t.messages, t.messages.map((m) => JSON.stringify(m))) })),
    );
    const changed: Message = { role: "user", content: "changed" };
    insertMessageRows(fast.$client, [{ rolloutId: list[0].rolloutId, plan: planMessageRows([changed], [JSON.stringify(changed)]) }]);

    const a = storedRows(reference);
    const b = storedRows(fast);
    expect(b.messages.length).toBe(a.messages.length);
    expect(a.contents.length).toBeGreaterThan(0);
    expect(a.search.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    closeDb(reference);
    closeDb(fast);
  });

  it("the content hash is still the sha256 of the normalised trajectory's JSON", () => {
    const messages = [
      { role: "system", content: "dropped" },
      { role: "assistant", content: "Hi" },
      { role: "user", content: "go" },
      { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "get_user_details", arguments: '{"z":1,"a":"b"}' } }] },
      { role: "tool", tool_call_id: "c", content: { ok: true } },
    ];
    const g = parseGroupBody({
      run_id: "r",
      step: 3,
      group_id: "g",
      task_id: "t",
      trajectories: [
        { trajectory_id: "full", messages, termination: "user_stop", reward: 1, reward_components: { b: 1, a: null }, advantage: -0.5, turn_advantages: [1, null], metadata: { z: [1], a: "x" } },
        { trajectory_id: "bare", messages },
      ],
    });
    for (const t of g.trajectories) {
      const { contentHash, bodies, ...rest } = t;
      expect(bodies).toEqual(t.messages.map((m) => JSON.stringify(m)));
      // The definition earlier versions stored: every field but the hash, in declaration order.
      const traj = { trajectoryId: rest.trajectoryId, messages: rest.messages, termination: rest.termination, reward: rest.reward, rewardComponents: rest.rewardComponents, advantage: rest.advantage, turnAdvantages: rest.turnAdvantages, metadata: rest.metadata };
      expect(contentHash).toBe(createHash("sha256").update(JSON.stringify(traj)).digest("hex"));
    }
  });
});
