/** Public API of the airline domain (see CONTRACT.md). */
export * from "./schema";
export { AIRPORTS, TAU2_AIRPORTS, METRO_AREAS, airportsForState, type Airport } from "./airports";
export { AIRLINE_TOOLS, AIRLINE_TOOL_SCHEMAS, READ_TOOLS, WRITE_TOOLS, toolKind, type ToolKind } from "./tool-schemas";
export { AirlineEnv, type ToolResult } from "./toolkit/airline-env";
export { NEW_RESERVATION_IDS, NEW_CERTIFICATE_IDS } from "./toolkit/writes";
export { loadDomainDir, loadTasksFile, parseAirlineState, DomainLoadError, DB_FILE_NAMES, type DomainDir } from "./load";
export { DEFAULT_STATE_SEED, generateAirlineState, getGeneratedState, type GenerateOptions } from "./generate";
export { FREE_BAGS, PRICE_RANGES } from "./fares";
export { AIRLINE_POLICY } from "./policy-text";
export { checkPolicy, POLICY_RULES, TRANSFER_MESSAGE, type PolicyViolation } from "./check-policy";
export { checkStateConsistency } from "./consistency";
export { canonicalJson, hashCanonical } from "./canonical";
export { calculateExpression } from "./calculate";
export { deepFreeze } from "./freeze";
export { measureStateStats, type StateStats } from "./stats";
