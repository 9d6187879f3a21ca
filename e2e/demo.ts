/**
 * The demo experiment the app seeds on a fresh database, shared by the specs that read it. The
 * seed runs in the worker after the server starts, so a spec waits for it to complete first.
 */
import { expect, type APIRequestContext } from "@playwright/test";

export const DEMO_NAME = "Demo: simulated agents (mixed presets)";

/** The demo experiment's id, once it has completed (waits up to 3 minutes for the seed). */
export async function demoExperiment(request: APIRequestContext): Promise<number> {
  let id: number | undefined;
  await expect
    .poll(
      async () => {
        const list = (await (await request.get("/api/experiments?limit=100")).json()) as { experiments: { id: number; name: string; status: string }[] };
        const demo = list.experiments.find((e) => e.name === DEMO_NAME);
        id = demo?.id;
        return demo?.status;
      },
      { timeout: 180_000, intervals: [1_000] },
    )
    .toBe("completed");
  return id!;
}
