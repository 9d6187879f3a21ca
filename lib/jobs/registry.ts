/** Lookup over lib/jobs/definitions.ts, built lazily (definitions may import the queue). */
import type { JobDefinition } from "./define";
import { jobDefinitions } from "./definitions";
import { getEnv } from "../settings";

let byName: Map<string, JobDefinition> | undefined;

function registry(): Map<string, JobDefinition> {
  if (!byName) {
    byName = new Map();
    for (const def of jobDefinitions) {
      if (byName.has(def.name)) throw new Error(`job "${def.name}" registered twice`);
      byName.set(def.name, def);
    }
  }
  return byName;
}

export function getJobDefinition(name: string): JobDefinition | undefined {
  return registry().get(name);
}

export function listJobDefinitions(): JobDefinition[] {
  return [...registry().values()];
}

/** Names POST /api/jobs accepts: demo/test jobs only when WRIT_ENABLE_TEST_JOBS=1. */
export function listApiJobNames(testJobsEnabled = getEnv().WRIT_ENABLE_TEST_JOBS === "1"): string[] {
  return listJobDefinitions()
    .filter((d) => d.enqueueFromApi && (!d.testOnly || testJobsEnabled))
    .map((d) => d.name);
}
