/** WRIT task synthesis: public API. See README.md for B, read plans and gold lists. */
export { synthesizeTasks, goldPathMessages, type SynthesisOptions, type SynthesisReport, type CellReport, type SynthesisProgress } from "./synthesize";
export {
  parseSynthesisConfig,
  synthesisConfigSchema,
  SynthesisConfigError,
  MAX_WRITES,
  MAX_EVIDENCE,
  type SynthesisConfig,
  type SynthesisConfigInput,
} from "./config";
export { BEHAVIORS, BEHAVIOR_PROFILES, behaviorFits, renderInstructions, describeRequest, type Behavior, type BehaviorProfile } from "./behaviors";
export { WRITE_TEMPLATES, REFUSAL_TEMPLATES, type TemplateName } from "./templates/catalog";
export type * from "./spec";
