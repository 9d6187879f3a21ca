/**
 * Environments: resolve a source (generated seed or τ² directory) to {state, policy,
 * tasks?}, search the state, keep environment rows, and compute a task's target diff.
 * Server-only (lib/airline uses node:crypto and node:fs).
 */
export * from "./resolve";
export * from "./search";
export * from "./rows";
export * from "./data-roots";
export * from "./load";
export * from "./target-diff";
export * from "./task-base";
