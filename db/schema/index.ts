/** Every table, one file per entity. drizzle-kit reads this file (drizzle.config.ts). */
export * from "./environments";
export * from "./task-sets";
export * from "./tasks";
export * from "./model-endpoints";
export * from "./experiments";
export * from "./groups";
export * from "./rollouts";
export * from "./rollout-messages";
export * from "./message-contents";
export * from "./rollout-classes";
export * from "./experiment-policy-counts";
export * from "./reward-configs";
export * from "./saved-views";
export * from "./jobs";
export * from "./job-steps";
export * from "./workers";
export * from "./seed-markers";
