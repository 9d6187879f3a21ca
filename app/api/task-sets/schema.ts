/** Request schemas and input checks for /api/task-sets (zod once at the boundary). */
import { z } from "zod";
import { parseSynthesisConfig, SynthesisConfigError, type SynthesisConfig } from "@/lib/synthesis/config";
import { ValidationError } from "@/lib/errors/app-error";
import { taskListSchema, type Task } from "@/lib/types/task";

export const createTaskSetSchema = z.object({
  name: z.string().trim().min(1, "name is required").max(200),
  environment_id: z.number().int().positive().nullable().optional(),
  /** A synthesis config (docs/cli-and-formats.md) … */
  config: z.unknown().optional(),
  /** … or a τ² tasks.json array to import. */
  import: z.unknown().optional(),
});

export const listTasksQuerySchema = z.object({
  w: z.coerce.number().int().min(0).max(100).optional(),
  b: z.coerce.number().int().min(0).max(1000).optional(),
  bt: z.coerce.number().int().min(0).max(10_000).optional(),
  behavior: z.string().trim().max(100).optional(),
  decision: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(50),
});

/** The synthesizer's own schema; the error names the field under `config`. */
export function parseConfigField(raw: unknown): SynthesisConfig {
  try {
    return parseSynthesisConfig(raw);
  } catch (err) {
    if (err instanceof SynthesisConfigError) {
      const field = err.field === "config" ? "config" : `config.${err.field}`;
      throw new ValidationError(`config.${err.message}`, field, err);
    }
    throw err;
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
}

/** A τ² tasks.json array; errors name the task index (and id when readable) and the field. */
export function parseImportField(raw: unknown): Task[] {
  if (!Array.isArray(raw)) throw new ValidationError("import: expected the τ² tasks.json array", "import");
  if (raw.length === 0) throw new ValidationError("import: the tasks array is empty", "import");
  const r = taskListSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const [index, ...rest] = issue.path;
  const id = typeof index === "number" ? (raw[index] as { id?: unknown } | null)?.id : undefined;
  const field = `import[${String(index)}]${rest.length ? (typeof rest[0] === "number" ? "" : ".") + pathText(rest) : ""}`;
  const which = typeof id === "string" ? ` (task id "${id}")` : "";
  throw new ValidationError(`${field}${which}: ${issue.message}`, field);
}
