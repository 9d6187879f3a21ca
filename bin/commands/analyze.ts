/**
 * `writ analyze --rollouts FILE --config FILE [--w N,M] [--b N] [--behavior NAME] [--compare]`:
 * tier every turn, then print the calibration readout of docs/cli-and-formats.md as one JSON document.
 */
import { readFileSync } from "node:fs";
import { analyze, buildColumnar, compareEstimators, type SliceSpec } from "../../lib/analysis";
import { formatConfigErrors, parseRewardConfig, type RewardConfig } from "../../lib/rewards";
import { rolloutSchema, type Rollout } from "../../lib/types/rollout";
import { CliError, printJson, progress, requiredFlag, stringFlag, type CliCommand, type ParsedArgs } from "../cli-kit";

function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new CliError(`--${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function loadConfig(path: string): RewardConfig {
  const result = parseRewardConfig(readText(path, "config"));
  if (!result.ok) throw new CliError(`--config ${path}: ${formatConfigErrors(result.errors)}`);
  return result.config;
}

export function parseRolloutLines(text: string, path: string): Rollout[] {
  const rollouts: Rollout[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new CliError(`--rollouts ${path}:${n + 1}: not valid JSON`);
    }
    const parsed = rolloutSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliError(`--rollouts ${path}:${n + 1}: ${issue.path.join(".") || "rollout"}: ${issue.message}`);
    }
    rollouts.push(parsed.data);
  }
  return rollouts;
}

function listFlag(args: ParsedArgs, name: string, numeric: boolean): (number | string)[] | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  return raw.split(",").map((s) => {
    if (!numeric) return s.trim();
    const v = Number(s);
    if (!Number.isInteger(v)) throw new CliError(`--${name} must be integers separated by commas, got "${raw}"`);
    return v;
  });
}

const command: CliCommand = {
  summary: "tier every turn and compute rewards, discriminativeness, advantages and diagnostics",
  usage: "writ analyze --rollouts FILE --config FILE [--w N,…] [--b N,…] [--behavior NAME,…] [--compare]",
  async run(args) {
    const rolloutsPath = requiredFlag(args, "rollouts");
    const configPath = requiredFlag(args, "config");
    const config = loadConfig(configPath);
    const rollouts = parseRolloutLines(readText(rolloutsPath, "rollouts"), rolloutsPath);
    const missingGold = rollouts.filter((r) => r.gold_actions === undefined).length;
    if (missingGold > 0) progress(`writ analyze: ${missingGold} rollout(s) carry no gold_actions; their calls cannot be gold or soft`);
    progress(`writ analyze: ${rollouts.length} rollouts, estimator ${config.estimator}`);
    const data = buildColumnar(rollouts, config);
    const slice: SliceSpec = {};
    const w = listFlag(args, "w", true);
    const b = listFlag(args, "b", true);
    const behavior = listFlag(args, "behavior", false);
    if (w) slice.w = w as number[];
    if (b) slice.b = b as number[];
    if (behavior) slice.behavior = behavior as string[];
    const result = analyze(data, config, { slice, includeTurns: true });
    printJson(args.flags.compare === true ? { ...result, estimators: compareEstimators(data, config, { slice }) } : result);
  },
};

export default command;
