/**
 * TRL GRPOTrainer completion logs → groups of the ingestion contract.
 *
 * With `log_completions=True`, GRPOTrainer writes `output_dir/completions/completions_{step:05d}.parquet`
 * (newer releases: `completions/{mode}/…` with a `mode` column), columns `step`, `prompt`,
 * `completion`, one per reward function, any `log_extra` columns, and `advantage`
 * (trl/trainer/grpo_trainer.py). Conversational prompts and completions are message lists; plain
 * ones are decoded text. There is no group or prompt-id column: rows come in generation order,
 * so a group is `num_generations` consecutive rows (given on the command line). The task id comes
 * from a column a reward function logs with `log_extra("writ_task_id", [...])` (or --task-column).
 */
import { parseChatText } from "./chat-text";
import { normalizeChatMessages } from "./chat-messages";
import type { GroupPart } from "./groups";
import { AdapterError, type AdapterIssue } from "./types";
import type { Message } from "../../types/messages";

export const TRL_TASK_COLUMN = "writ_task_id";

export interface TrlOptions {
  numGenerations: number;
  /** Column holding the WRIT Lab task id (default writ_task_id). */
  taskColumn?: string;
  /** Reward-function columns; default every numeric column that is not step/advantage/the task column. */
  rewardColumns?: readonly string[];
  fileStep?: number;
  split?: "train" | "eval";
  file?: string;
}

const NON_REWARD = new Set(["step", "prompt", "completion", "advantage", "mode", "image", "images"]);

export type TrlRow = Record<string, unknown>;

/** Parquet bytes → row objects (hyparquet; int64 comes back as bigint and is converted to number). */
export async function readTrlParquet(bytes: ArrayBuffer): Promise<TrlRow[]> {
  const { parquetReadObjects } = await import("hyparquet");
  const rows = (await parquetReadObjects({ file: bytes })) as TrlRow[];
  return rows.map((r) => {
    const out: TrlRow = {};
    for (const [k, v] of Object.entries(r)) out[k] = typeof v === "bigint" ? Number(v) : v;
    return out;
  });
}

const numeric = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : typeof v === "bigint" ? Number(v) : null;

function toMessages(value: unknown, firstRole: "user" | "assistant", idPrefix: string): Message[] {
  if (Array.isArray(value)) return normalizeChatMessages(value, idPrefix).messages;
  if (typeof value === "string") return parseChatText(value, { firstRole, idPrefix }).messages;
  throw new Error(`expected text or a message list, got ${value === null ? "null" : typeof value}`);
}

/** `completions_00041.parquet` → 41. */
export function trlFileStep(name: string): number | undefined {
  const m = /completions_(\d+)\.parquet$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

export function parseTrlRows(rows: readonly TrlRow[], opts: TrlOptions): { parts: GroupPart[]; issues: AdapterIssue[] } {
  const n = opts.numGenerations;
  if (!Number.isInteger(n) || n < 1) throw new AdapterError("--num-generations must be a positive integer (GRPOConfig.num_generations)");
  const file = opts.file ?? "completions";
  const issues: AdapterIssue[] = [];
  const parts: GroupPart[] = [];
  if (rows.length === 0) return { parts, issues };
  const taskColumn = opts.taskColumn ?? TRL_TASK_COLUMN;
  if (!(taskColumn in rows[0])) {
    throw new AdapterError(
      `${file}: no "${taskColumn}" column. TRL logs no task or group id; add one from a reward function: ` +
        `log_extra("${TRL_TASK_COLUMN}", [the WRIT Lab task id of each completion]) (reward functions receive log_extra ` +
        `and every dataset column as keyword arguments), or pass --task-column NAME for a column that holds it`,
    );
  }
  const columns = Object.keys(rows[0]);
  const rewardColumns =
    opts.rewardColumns ??
    columns.filter((c) => !NON_REWARD.has(c) && c !== taskColumn && rows.some((r) => numeric(r[c]) !== null));
  if (rows.length % n !== 0) {
    issues.push({ where: file, message: `${rows.length} rows is not a multiple of --num-generations ${n}; the last ${rows.length % n} rows are skipped` });
  }
  for (let g = 0; g + n <= rows.length; g += n) {
    const group = rows.slice(g, g + n);
    const where = `${file}: rows ${g}-${g + n - 1}`;
    const taskIds = new Set(group.map((r) => String(r[taskColumn] ?? "")));
    const prompts = new Set(group.map((r) => JSON.stringify(r.prompt)));
    if (taskIds.size !== 1 || prompts.size !== 1) {
      issues.push({ where, message: `rows of one group have different ${taskIds.size !== 1 ? "task ids" : "prompts"}: is --num-generations ${n} right?` });
      continue;
    }
    const taskId = [...taskIds][0];
    if (!taskId) {
      issues.push({ where, message: `empty "${taskColumn}"` });
      continue;
    }
    const step = numeric(group[0].step) ?? opts.fileStep;
    if (step === null || step === undefined) {
      issues.push({ where, message: "no step (neither a `step` column nor a completions_{step}.parquet name)" });
      continue;
    }
    const mode = group[0].mode;
    const split = mode === "train" || mode === "eval" ? mode : (opts.split ?? "train");
    const groupId = `${split}/${step}/g${g / n}`;
    const groupParts: GroupPart[] = [];
    try {
      group.forEach((row, k) => {
        const trajectoryId = `${groupId}:${k}`;
        const messages = [...toMessages(row.prompt, "user", `${trajectoryId}-p`), ...toMessages(row.completion, "assistant", trajectoryId)];
        const components: Record<string, number> = {};
        let reward = 0;
        for (const c of rewardColumns) {
          const v = numeric(row[c]);
          if (v === null) continue; // a reward function that returned None for this completion
          components[c] = v;
          reward += v; // TRL's default reward_weights are all 1; weighted runs: see reward_components
        }
        const advantage = numeric(row.advantage);
        groupParts.push({
          step,
          split,
          group_id: groupId,
          task_id: taskId,
          trajectory: {
            trajectory_id: trajectoryId,
            messages,
            ...(Object.keys(components).length ? { reward, reward_components: components } : {}),
            ...(advantage !== null ? { advantage } : {}),
            metadata: { source: "trl", row: g + k },
          },
        });
      });
      parts.push(...groupParts); // a group lands whole or not at all
    } catch (err) {
      issues.push({ where, message: (err as Error).message });
    }
  }
  return { parts, issues };
}
