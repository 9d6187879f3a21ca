/** lib/analysis: columnar rollouts, statistics, advantage estimators and diagnostics (pure; no I/O). */
export * from "./columnar";
export * from "./stats";
export * from "./estimators";
export * from "./slice";
export { sliceView, type SliceTarget } from "./slice-view";
export * from "./discriminativeness";
export * from "./diagnostics";
export * from "./analyze";
export * from "./direction";
export { getWorkspace, type AnalysisWorkspace } from "./workspace";
export { clearInvariantCache, memoInvariant, sliceKeyOf } from "./invariants";
export { makeSyntheticColumnar, type SyntheticSpec } from "./synthetic";
export * from "./snapshot";
