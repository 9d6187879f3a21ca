import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertSyntheticExperiment } from "../../lib/experiments/store/synthetic";
import type { Message } from "../../lib/types/messages";
import { createTempDb, type TempDb } from "../../tests/helpers";
import { contentIdOf, getMessagesForRollouts, getRolloutMessages, insertRolloutMessage } from "./rollouts";

describe("rollout messages with shared tool contents", () => {
  let t: TempDb;
  let ids: string[];
  const search = JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ flight_number: `HAT${i}`, price: 100 + i, note: 'a "quoted" \\ é' })));
  const profile = JSON.stringify({ user_id: "mia_li_3668", payment_methods: { gift_card_1: { amount: 250 } }, reservations: ["NO6JO3", "AIXC49"], pad: "x".repeat(400) });
  const conversation = (id: string): Message[] => [
    { role: "assistant", content: null, tool_calls: [{ id: `${id}-1`, name: "search_direct_flight", arguments: { origin: "JFK" } }] },
    { role: "tool", tool_call_id: `${id}-1`, content: search, error: false },
    { role: "tool", tool_call_id: `${id}-2`, content: profile, error: false },
    { role: "tool", tool_call_id: `${id}-3`, content: "Error: short results stay inline", error: true },
    { role: "user", content: "thanks ###STOP###" },
  ];

  beforeAll(() => {
    t = createTempDb();
    insertSyntheticExperiment(t.db, { tasks: 2, groupSize: 2, messagesPerRollout: 0, seed: 1 });
    ids = (t.db.$client.prepare("SELECT id FROM rollouts ORDER BY id LIMIT 3").all() as { id: string }[]).map((r) => r.id);
  });
  afterAll(() => t.cleanup());

  it("stores each large content once and reads every message back unchanged", () => {
    t.db.$client.transaction(() => {
      for (const id of ids) conversation(id).forEach((m, i) => insertRolloutMessage(t.db, id, 100 + i, m));
    })();
    const contents = t.db.$client.prepare("SELECT count(*) AS n FROM message_contents").get() as { n: number };
    expect(contents.n).toBe(2);
    const refs = t.db.$client.prepare("SELECT count(*) AS n FROM rollout_messages WHERE content_id IS NOT NULL").get() as { n: number };
    expect(refs.n).toBe(2 * ids.length);
    for (const id of ids) expect(getRolloutMessages(t.db, id).slice(-5)).toEqual(conversation(id));
    const many = getMessagesForRollouts(t.db, ids);
    for (const id of ids) expect(JSON.stringify(many.get(id)!.slice(-5))).toBe(JSON.stringify(conversation(id)));
  });

  it("keeps a message inline when its content id is taken by another text (hash collision)", () => {
    const text = "y".repeat(600);
    // Another text already sits at this text's id: the writer must notice and not refer to it.
    t.db.$client.prepare("INSERT INTO message_contents (id, content) VALUES (?, ?)").run(contentIdOf(text), "z".repeat(600));
    const m: Message = { role: "tool", tool_call_id: "c9", content: text, error: false };
    insertRolloutMessage(t.db, ids[0], 200, m);
    const row = t.db.$client.prepare("SELECT content_id, body FROM rollout_messages WHERE rollout_id = ? AND idx = 200").get(ids[0]) as { content_id: number | null; body: string };
    expect(row.content_id).toBeNull();
    expect(row.body).toBe(JSON.stringify(m));
    expect(getRolloutMessages(t.db, ids[0]).at(-1)).toEqual(m);
  });
});
