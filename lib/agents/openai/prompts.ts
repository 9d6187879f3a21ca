/**
 * System prompts for the OpenAI-compatible drivers, shaped like τ²-bench's so that
 * scores are comparable: the agent's instruction block is a protocol constant
 * (docs/external-formats.md §1), the user prompt is guidelines + <scenario>.
 */
import { readFileSync } from "node:fs";
import type { Task } from "../../types/task";
import { WRIT_USER_GUIDELINES } from "./user-guidelines";

/** τ²'s LLMAgent instruction, verbatim: changing it breaks comparability with published numbers. */
export const TAU2_AGENT_INSTRUCTION = [
  "You are a customer service agent that helps the user according to the <policy> provided below.",
  "In each turn you can either:",
  "- Send a message to the user.",
  "- Make a tool call.",
  "You cannot do both at the same time.",
  "",
  "Try to be helpful and always follow the policy. Always make sure you generate valid JSON only.",
].join("\n");

export function buildAgentSystemPrompt(policy: string): string {
  return `<instructions>\n${TAU2_AGENT_INSTRUCTION}\n</instructions>\n<policy>\n${policy}\n</policy>`;
}

/** Python's textwrap.indent: prefix every line that is not whitespace-only. */
function indentLines(text: string, prefix = "\t"): string {
  return text
    .split(/(?<=\n)/)
    .map((line) => (line.trim() ? prefix + line : line))
    .join("");
}

/**
 * Renders a task's user_scenario the way τ²'s `str(user_scenario)` does: a "Persona:" section when set,
 * then "Instructions:" with every line tab-indented; structured instructions list their parts, absent ones skipped.
 */
export function renderUserScenario(scenario: Task["user_scenario"]): string {
  const lines: string[] = [];
  if (scenario.persona != null) lines.push("Persona:", indentLines(scenario.persona));
  const ins = scenario.instructions;
  let body: string;
  if (typeof ins === "string") body = ins;
  else {
    const parts = [`Domain: ${ins.domain ?? ""}`, `Reason for call:\n${indentLines(ins.reason_for_call)}`];
    if (ins.known_info != null) parts.push(`Known info:\n${indentLines(ins.known_info)}`);
    if (ins.unknown_info != null) parts.push(`Unknown info:\n${indentLines(ins.unknown_info)}`);
    if (ins.task_instructions != null) parts.push(`Task instructions:\n${indentLines(ins.task_instructions)}`);
    body = parts.join("\n");
  }
  lines.push("Instructions:", indentLines(body));
  return lines.join("\n");
}

export function buildUserSystemPrompt(guidelines: string, task: Task): string {
  return `${guidelines}\n\n<scenario>\n${renderUserScenario(task.user_scenario)}\n</scenario>`;
}

/** Guidelines text: the file at `path` when given (e.g. τ²'s simulation_guidelines.md), else the project's own. */
export function loadUserGuidelines(path?: string): string {
  if (!path) return WRIT_USER_GUIDELINES;
  // τ² v1 guidelines carry a persona placeholder that is empty by default.
  return readFileSync(path, "utf8").replace("<PERSONA_GUIDELINES>", "").trim();
}
