/**
 * The group API's paged form: GET /api/groups/:id?siblings=K sends every sibling's summary and the
 * first K siblings' messages; /api/groups/:id/messages?from=&to= the others; merged, the pages equal
 * the whole-group answer, which stays as it was without `siblings`. Bad input is a 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import type { GroupDetailResponse } from "../lib/experiments/api-types";
import type { GroupPageResponse, GroupSiblingMessagesResponse } from "../lib/experiments/group-pages";
import * as groupRoute from "../app/api/groups/[id]/route";
import * as messagesRoute from "../app/api/groups/[id]/messages/route";
import { insertFixtureExperiment } from "./calibration-fixtures";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

let groupId: string;
const appDb = appTempDb("writ-group-pages-");

async function get<T>(route: typeof groupRoute | typeof messagesRoute, path: string): Promise<{ status: number; body: T & { error?: { field?: string } } }> {
  const r = await route.GET(new Request(`http://x${path}`), { params: Promise.resolve({ id: groupId }) });
  return { status: r.status, body: await r.json() };
}

beforeAll(async () => {
  appDb.open();
  const exp = await insertFixtureExperiment(getDb(), "A");
  groupId = `g-${exp}-0`;
});

afterAll(() => appDb.close());

describe("GET /api/groups/:id paged by sibling", () => {
  it("sends every summary, the first K siblings' messages, and the rest by page; merged it is the whole group", async () => {
    const full = (await get<GroupDetailResponse>(groupRoute, `/api/groups/${groupId}`)).body;
    const n = full.rollouts.length;
    expect(n).toBeGreaterThan(3);
    expect(full.rollouts.every((r) => r.messages.length > 0)).toBe(true);

    const { status, body: page } = await get<GroupPageResponse>(groupRoute, `/api/groups/${groupId}?siblings=2`);
    expect(status).toBe(200);
    expect(page.siblings_page).toEqual({ from: 0, to: 2, extra: null, total: n, pending: full.rollouts.slice(2).map((r) => r.id) });
    expect(page.rollouts.slice(0, 2)).toEqual(full.rollouts.slice(0, 2));
    // Pending siblings: the summary as in the whole answer, without the bulk.
    for (const [i, r] of page.rollouts.entries()) {
      if (i < 2) continue;
      expect({ ...r, messages: undefined, gold_actions: undefined, metadata: undefined }).toEqual({ ...full.rollouts[i], messages: undefined, gold_actions: undefined, metadata: undefined });
      expect([r.messages, r.gold_actions, r.metadata]).toEqual([[], [], {}]);
    }
    expect(JSON.stringify(page).length).toBeLessThan(JSON.stringify(full).length);

    const rest = (await get<GroupSiblingMessagesResponse>(messagesRoute, `/api/groups/${groupId}/messages?from=2&to=64`)).body;
    expect([rest.from, rest.to, rest.total]).toEqual([2, n, n]);
    const merged = page.rollouts.map((r) => {
      const m = rest.rollouts.find((x) => x.id === r.id);
      return m ? { ...r, messages: m.messages, gold_actions: m.gold_actions, metadata: m.metadata } : r;
    });
    expect(merged).toEqual(full.rollouts);
  });

  it("adds the sibling a link selects to the first answer", async () => {
    const { body } = await get<GroupPageResponse>(groupRoute, `/api/groups/${groupId}?siblings=1&include=3`);
    expect(body.siblings_page.extra).toBe(3);
    expect(body.rollouts.map((r) => r.messages.length > 0)).toEqual(body.rollouts.map((_, i) => i === 0 || i === 3));
  });

  it("answers 400 naming the field for bad paging input", async () => {
    expect((await get(groupRoute, `/api/groups/${groupId}?siblings=0`)).body.error?.field).toBe("siblings");
    expect((await get(groupRoute, `/api/groups/${groupId}?siblings=x`)).status).toBe(400);
    const r = await get(messagesRoute, `/api/groups/${groupId}/messages?from=3&to=3`);
    expect([r.status, r.body.error?.field]).toEqual([400, "to"]);
    expect((await get(messagesRoute, `/api/groups/${groupId}/messages?from=0&to=100`)).body.error?.field).toBe("to");
  });
});
