/**
 * Issue 20, item 7: a large export must not stall the server. A real server process
 * (tests/fixtures/route-server.ts: the app's route handlers behind Next.js's own response
 * pipe) streams a few thousand rollouts to a client that reads as fast as it can; a health
 * check sent once the download has started must be answered before the download ends.
 * Before the fix the export ran as one synchronous loop and the health check waited for it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, openDb } from "../db/client";
import { insertSyntheticExperiment } from "../lib/experiments/store/synthetic";
import { makeTempDir } from "./temp-dir";
import { startRouteServer, type RouteServer } from "./route-server";
import { join } from "node:path";

let server: RouteServer;
let experimentId: number;
let rollouts: number;

beforeAll(async () => {
  const path = join(makeTempDir("writ-export-stream-"), "writ.db");
  const db = openDb(path);
  // 4,800 rollouts × 40 messages: about 15 MB of JSON lines, long enough to overlap with a request.
  ({ experimentId, rollouts } = insertSyntheticExperiment(db, { tasks: 600, groupSize: 8, messagesPerRollout: 40, seed: 5 }));
  closeDb(db);
  server = await startRouteServer(path);
});
afterAll(async () => {
  await server?.close();
});

describe("a large export over a real server", () => {
  it("leaves the server free to answer a health check while it streams", async () => {
    expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
    const res = await fetch(`${server.base}/api/experiments/${experimentId}/export?format=jsonl`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let health: Promise<{ status: number; at: number; body: string }> | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      // Once bytes flow, the export is running on the server: ask it something else.
      health ??= fetch(`${server.base}/api/health`).then(async (r) => ({ status: r.status, at: performance.now(), body: await r.text() }));
    }
    const exportEnded = performance.now();
    const answered = await health!;
    expect(answered.status).toBe(200);
    expect(answered.at).toBeLessThan(exportEnded);
    // And the download is whole: one line per rollout.
    expect(text.trim().split("\n")).toHaveLength(rollouts);
  });
});
