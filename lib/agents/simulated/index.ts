/** The built-in simulated drivers (deterministic, seeded, labelled "simulated"). */
export { createSimulatedAgent, type SimulatedAgentOptions } from "./agent";
export { createSimulatedUser, goalsOf, userIdOf, type SimulatedUserOptions } from "./user";
export { AGENT_PRESETS, PRESET_KNOBS, agentKnobsSchema, type AgentKnobs, type AgentPreset } from "./presets";
export * as controlledLanguage from "./language";
