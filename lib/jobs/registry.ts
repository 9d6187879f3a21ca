/** Lookup over the job kinds (./kinds.ts): names, schemas and which ones the API may enqueue. */
import type { JobKind } from "./kinds";
import { jobKinds } from "./kinds";
import { getEnv } from "../settings";

/** A constant table built once from ./kinds.ts. */
const byName: ReadonlyMap<string, JobKind> = (() => {
  const map = new Map<string, JobKind>();
  for (const kind of jobKinds) {
    if (map.has(kind.name)) throw new Error(`job "${kind.name}" registered twice`);
    map.set(kind.name, kind);
  }
  return map;
})();

export function getJobKind(name: string): JobKind | undefined {
  return byName.get(name);
}

export function listJobKinds(): JobKind[] {
  return [...byName.values()];
}

/** Names POST /api/jobs accepts: demo/test jobs only when WRIT_ENABLE_TEST_JOBS=1. */
export function listApiJobNames(testJobsEnabled = getEnv().WRIT_ENABLE_TEST_JOBS === "1"): string[] {
  return listJobKinds()
    .filter((k) => k.enqueueFromApi && (!k.testOnly || testJobsEnabled))
    .map((k) => k.name);
}
