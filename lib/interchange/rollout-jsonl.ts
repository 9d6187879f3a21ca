/** Rollout JSON lines (docs/cli-and-formats.md): one rollout per line, bad lines reported by number. */
import { rolloutSchema, type Rollout } from "../types/rollout";
import { stripSecrets } from "./redact";

export interface JsonlParseResult {
  rollouts: Rollout[];
  errors: { line: number; message: string }[];
}

export function parseRolloutJsonl(text: string): JsonlParseResult {
  const rollouts: Rollout[] = [];
  const errors: JsonlParseResult["errors"] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      errors.push({ line: i + 1, message: `invalid JSON: ${(err as Error).message}` });
      continue;
    }
    const parsed = rolloutSchema.safeParse(json);
    if (parsed.success) rollouts.push(parsed.data);
    else {
      const issue = parsed.error.issues[0];
      errors.push({ line: i + 1, message: `${issue.path.join(".") || "(root)"}: ${issue.message}` });
    }
  }
  return { rollouts, errors };
}

export function formatRolloutJsonl(rollouts: Iterable<Rollout>): string {
  let out = "";
  for (const r of rollouts) out += JSON.stringify(stripSecrets(r)) + "\n";
  return out;
}
