/**
 * verl generation dumps → groups of the ingestion contract.
 *
 * `trainer.rollout_data_dir` (and `trainer.validation_data_dir`) make verl write one file per step,
 * `{dir}/{global_steps}.jsonl` (verl/trainer/ppo/ray_trainer.py::_dump_generations), each line
 * `{"input", "output", "gts", "score", "step", …reward_extra_info}`: `input`/`output` are the
 * prompt and the response decoded with skip_special_tokens=True, `score` the summed token-level
 * score. verl writes no group id (`uid`), no advantage and no message structure, so:
 * - the group and the task come from two keys the reward function returns, which verl copies into
 *   every line as reward_extra_info: `writ_group` and `writ_task_id` (WRIT Lab's verl reward shim
 *   in clients/python returns both);
 * - messages are parsed back from the flat text (chat-text.ts: Hermes/Qwen markers);
 * - `score` is the trainer reward, other numeric extra keys are reward components.
 */
import { parseChatText } from "./chat-text";
import type { GroupPart } from "./groups";
import { AdapterError, type AdapterIssue } from "./types";

export const VERL_GROUP_KEY = "writ_group";
export const VERL_TASK_KEY = "writ_task_id";

export const VERL_MISSING_KEYS_HELP =
  `verl writes no group id: its dump lines need "${VERL_GROUP_KEY}" and "${VERL_TASK_KEY}" from the reward function. ` +
  `Use WRIT Lab's reward shim (writ_lab.verl.compute_score, clients/python) as custom_reward_function, or make your ` +
  `compute_score return a dict {"score": …, "${VERL_GROUP_KEY}": <one value per prompt of the step, e.g. extra_info["index"]>, ` +
  `"${VERL_TASK_KEY}": <the WRIT Lab task id>}; verl copies every returned key into reward_extra_info and the dump`;

export interface VerlOptions {
  /** The step from the file name (`{step}.jsonl`), used when a line has no `step`. */
  fileStep?: number;
  split?: "train" | "eval";
  /** Used in issue locations. */
  file?: string;
}

const KNOWN = new Set(["input", "output", "gts", "score", "step", VERL_GROUP_KEY, VERL_TASK_KEY]);

const idText = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;

/**
 * Parse one `{step}.jsonl`. Bad lines become issues (by line number) while the good ones are kept;
 * a file none of whose lines carries the grouping keys is an AdapterError with the fix.
 */
export function parseVerlDump(text: string, opts: VerlOptions = {}): { parts: GroupPart[]; issues: AdapterIssue[] } {
  const parts: GroupPart[] = [];
  const issues: AdapterIssue[] = [];
  const file = opts.file ?? "verl dump";
  const split = opts.split ?? "train";
  const perGroup = new Map<string, number>();
  let linesWithKeys = 0;
  let linesWithout = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw) continue;
    const where = `${file}:${i + 1}`;
    let row: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a JSON object");
      row = parsed as Record<string, unknown>;
    } catch (err) {
      issues.push({ where, message: `invalid JSON: ${(err as Error).message}` });
      continue;
    }
    const group = idText(row[VERL_GROUP_KEY]);
    const taskId = idText(row[VERL_TASK_KEY]);
    if (group === undefined || taskId === undefined) {
      linesWithout++;
      issues.push({ where, message: `missing "${group === undefined ? VERL_GROUP_KEY : VERL_TASK_KEY}"` });
      continue;
    }
    linesWithKeys++;
    const step = typeof row.step === "number" && Number.isInteger(row.step) ? row.step : opts.fileStep;
    if (step === undefined) {
      issues.push({ where, message: "no step (neither a `step` key nor a {step}.jsonl file name)" });
      continue;
    }
    if (typeof row.output !== "string") {
      issues.push({ where, message: "`output` is not a string" });
      continue;
    }
    const groupId = `${split}/${step}/${group}`;
    const k = perGroup.get(groupId) ?? 0;
    perGroup.set(groupId, k + 1);
    const trajectoryId = `${groupId}:${k}`;
    const prompt = parseChatText(typeof row.input === "string" ? row.input : "", { firstRole: "user", idPrefix: `${trajectoryId}-p` });
    const response = parseChatText(row.output, { firstRole: "assistant", idPrefix: trajectoryId });
    const components: Record<string, number> = {};
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (KNOWN.has(key)) continue;
      if (typeof value === "number" && Number.isFinite(value)) components[key] = value;
      else extra[key] = value;
    }
    parts.push({
      step,
      split,
      group_id: groupId,
      task_id: taskId,
      trajectory: {
        trajectory_id: trajectoryId,
        messages: [...prompt.messages, ...response.messages],
        ...(typeof row.score === "number" && Number.isFinite(row.score) ? { reward: row.score } : {}),
        ...(Object.keys(components).length ? { reward_components: components } : {}),
        metadata: {
          source: "verl",
          ...(row.gts !== undefined ? { ground_truth: row.gts } : {}),
          ...(Object.keys(extra).length ? { reward_extra_info: extra } : {}),
        },
      },
    });
  }
  if (linesWithKeys === 0 && linesWithout > 0) throw new AdapterError(`${file}: ${VERL_MISSING_KEYS_HELP}`);
  return { parts, issues };
}

/** `{dir}/41.jsonl` → 41; other names → undefined. */
export function verlFileStep(name: string): number | undefined {
  const m = /(?:^|[\\/])(\d+)\.jsonl$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
