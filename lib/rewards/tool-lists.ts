/**
 * Default airline tool lists for classification, from lib/airline's tool table (imported from
 * the pure tool-schemas module, not the index, so lib/rewards stays free of node:fs for the UI).
 * `calculate` is generic in the environment but classifies as a read here: a side-effect-free
 * lookup the agent uses on the way to a decision. Other generic tools (transfer_to_human_agents)
 * are neither read nor write. All three lists are editable in the reward config.
 */
import { AIRLINE_TOOLS, READ_TOOLS, WRITE_TOOLS } from "../airline/tool-schemas";

const READ_LIKE_GENERICS = ["calculate"];

export const DEFAULT_READ_TOOLS: readonly string[] = [...READ_TOOLS, ...READ_LIKE_GENERICS.filter((t) => !READ_TOOLS.includes(t))];

export const DEFAULT_WRITE_TOOLS: readonly string[] = [...WRITE_TOOLS];

export const DEFAULT_GENERIC_TOOLS: readonly string[] = AIRLINE_TOOLS.filter(
  (t) => t.kind === "generic" && !READ_LIKE_GENERICS.includes(t.name),
).map((t) => t.name);
