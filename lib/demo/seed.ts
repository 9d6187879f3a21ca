/**
 * First-start demo content, as a list of idempotent steps (lib/demo/steps.ts). Each step
 * runs once per database: a row in seed_markers keyed by the step's key records it, in
 * the same immediate transaction as the step's writes, so concurrent starts cannot
 * double-seed and a step added later still runs on an existing database.
 */
import type { Db } from "../../db/client";
import { seedSteps, type SeedStep } from "./steps";
import { runOnce } from "./store";

/** Apply every step not applied yet; returns the keys applied now. */
export function seedDemo(db: Db, steps: readonly SeedStep[] = seedSteps): string[] {
  const keys = new Set<string>();
  const applied: string[] = [];
  for (const step of steps) {
    if (keys.has(step.key)) throw new Error(`seed step "${step.key}" listed twice`);
    keys.add(step.key);
    if (runOnce(db, step.key, (tx) => step.run(tx))) applied.push(step.key);
  }
  return applied;
}
