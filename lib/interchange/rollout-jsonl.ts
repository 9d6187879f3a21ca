/** Rollout JSON lines (docs/cli-and-formats.md): one rollout per line, bad lines reported by number. */
import { rolloutSchema, type Rollout } from "../types/rollout";
import { stripSecrets } from "./redact";

export interface JsonlParseResult {
  rollouts: Rollout[];
  errors: { line: number; message: string }[];
}

/**
 * Parse rollout JSON lines. A rollout_id seen on an earlier line is an error naming both
 * lines: a file with every line twice must not double its groups and its pass rate.
 */
export function parseRolloutJsonl(text: string): JsonlParseResult {
  const rollouts: Rollout[] = [];
  const errors: JsonlParseResult["errors"] = [];
  const firstLineOf = new Map<string, number>();
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
    if (parsed.success) {
      const seen = firstLineOf.get(parsed.data.rollout_id);
      if (seen !== undefined) {
        errors.push({ line: i + 1, message: `duplicate rollout_id "${parsed.data.rollout_id}" (first on line ${seen})` });
        continue;
      }
      firstLineOf.set(parsed.data.rollout_id, i + 1);
      rollouts.push(parsed.data);
    } else {
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
