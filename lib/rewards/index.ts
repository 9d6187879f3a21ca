/** lib/rewards: reward config, per-call classification and tiering (pure; no I/O). */
export * from "./tiers";
export * from "./tool-lists";
export * from "./config";
export * from "./deep-equal";
export * from "./turns";
export * from "./classify";
export * from "./precedence";
export * from "./values";
export * from "./flips";
