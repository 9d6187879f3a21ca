/**
 * `writ run`: run rollouts in-process and write them as JSON lines
 * (docs/cli-and-formats.md). The API key is only ever read from the environment
 * (OPENAI_API_KEY or --api-key-env NAME), never from an argument.
 */
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { AIRLINE_POLICY, DEFAULT_STATE_SEED, getGeneratedState, loadDomainDir, type AirlineState } from "../../lib/airline";
import { createAgentDriver, createUserDriver, SIMULATED_PRESETS, type AgentDriverConfigInput, type UserDriverConfigInput } from "../../lib/agents/factory";
import { passHatK } from "../../lib/rollouts/evaluate";
import { runGroupBatch } from "../../lib/rollouts/run-rollout";
import { taskListSchema, type Task } from "../../lib/types/task";
import { CliError, numberFlag, printJson, progress, requiredFlag, stringFlag, type CliCommand, type ParsedArgs } from "../cli-kit";

const DEFAULT_OPENAI_URL = "https://api.openai.com/v1";

function intFlag(args: ParsedArgs, name: string, fallback: number, min: number): number {
  const n = numberFlag(args, name, fallback)!;
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer ≥ ${min}, got ${n}`);
  return n;
}

function kindFlag(args: ParsedArgs, name: string): "simulated" | "openai" {
  const v = stringFlag(args, name) ?? "simulated";
  if (v !== "simulated" && v !== "openai") throw new CliError(`--${name} must be simulated or openai, got "${v}"`);
  return v;
}

async function readTasks(file: string): Promise<Task[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    throw new CliError(`cannot read tasks file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = taskListSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${file}: invalid task at ${issue.path.join(".")}: ${issue.message}`);
  }
  if (parsed.data.length === 0) throw new CliError(`${file} holds no tasks`);
  return parsed.data;
}

/** A per-episode seed: the same (seed, task, sample) always gets the same simulated behaviour. */
function episodeSeed(seed: number, taskIndex: number, sampleIndex: number): number {
  return (Math.imul(seed >>> 0, 1_000_003) + taskIndex * 10_007 + sampleIndex) >>> 0;
}

const command: CliCommand = {
  summary: "run rollouts in-process and write rollout JSON lines",
  usage:
    "writ run --tasks FILE [--domain-dir DIR] --agent simulated|openai --user simulated|openai --group-size N " +
    "[--preset expert|average|sloppy --model M --base-url URL --user-model M --user-base-url URL --temperature T " +
    "--max-turns K --max-errors E --concurrency C --seed S --state-seed N --timeout-ms MS --max-retries R " +
    "--api-key-env NAME --user-guidelines FILE] --out FILE",
  async run(args) {
    if (args.flags["api-key"] !== undefined) {
      throw new CliError("--api-key is not accepted: put the key in OPENAI_API_KEY or name a variable with --api-key-env");
    }
    const tasksFile = requiredFlag(args, "tasks");
    const out = requiredFlag(args, "out");
    const domainDir = stringFlag(args, "domain-dir");
    const agentKind = kindFlag(args, "agent");
    const userKind = kindFlag(args, "user");
    const groupSize = intFlag(args, "group-size", 1, 1);
    const concurrency = intFlag(args, "concurrency", 4, 1);
    const maxTurns = intFlag(args, "max-turns", 50, 1);
    const maxErrors = intFlag(args, "max-errors", 10, 1);
    const seed = intFlag(args, "seed", 0, 0);
    const timeoutMs = intFlag(args, "timeout-ms", 120_000, 1);
    const maxRetries = intFlag(args, "max-retries", 4, 0);
    const temperature = numberFlag(args, "temperature", 0)!;
    const stateSeed = numberFlag(args, "state-seed");
    const preset = stringFlag(args, "preset") ?? "expert";
    if (!(SIMULATED_PRESETS as readonly string[]).includes(preset)) {
      throw new CliError(`--preset must be one of ${SIMULATED_PRESETS.join(", ")}, got "${preset}"`);
    }
    const namedKeyEnv = stringFlag(args, "api-key-env");
    if (namedKeyEnv !== undefined && !process.env[namedKeyEnv]) throw new CliError(`environment variable ${namedKeyEnv} is not set`);
    // The CLI is the operator: OPENAI_API_KEY goes to the base URL it was given (the
    // server's host allow-list is for URLs that API callers choose).
    const apiKeyEnv = namedKeyEnv ?? (process.env.OPENAI_API_KEY ? "OPENAI_API_KEY" : undefined);

    const model = stringFlag(args, "model");
    const baseURL = stringFlag(args, "base-url") ?? DEFAULT_OPENAI_URL;
    if (agentKind === "openai" && !model) throw new CliError("--agent openai needs --model");
    const userModel = stringFlag(args, "user-model") ?? model;
    const userBaseURL = stringFlag(args, "user-base-url") ?? baseURL;
    if (userKind === "openai" && !userModel) throw new CliError("--user openai needs --user-model (or --model)");

    const tasks = await readTasks(tasksFile);
    let policy = AIRLINE_POLICY;
    let stateFor: (task: Task) => AirlineState;
    if (domainDir) {
      const domain = loadDomainDir(domainDir);
      policy = domain.policy;
      stateFor = () => domain.state;
    } else {
      stateFor = (task) => getGeneratedState(task.writ?.state_seed ?? stateSeed ?? DEFAULT_STATE_SEED);
    }

    const agentConfig: AgentDriverConfigInput =
      agentKind === "simulated"
        ? { kind: "simulated", preset: preset as (typeof SIMULATED_PRESETS)[number] }
        : { kind: "openai", baseURL, model: model!, apiKeyEnv, temperature, timeoutMs, maxRetries, concurrency };
    const userConfig: UserDriverConfigInput =
      userKind === "simulated"
        ? { kind: "simulated" }
        : {
            kind: "openai",
            baseURL: userBaseURL,
            model: userModel!,
            apiKeyEnv,
            temperature,
            timeoutMs,
            maxRetries,
            concurrency,
            guidelinesPath: stringFlag(args, "user-guidelines"),
          };
    const taskIndex = new Map(tasks.map((t, i) => [t, i]));
    const ctx = (task: Task, sampleIndex: number) => ({ task, seed: episodeSeed(seed, taskIndex.get(task)!, sampleIndex) });

    const sink = createWriteStream(out, { encoding: "utf8" });
    const sinkError = new Promise<never>((_, reject) => sink.on("error", (e) => reject(new CliError(`cannot write ${out}: ${e.message}`))));
    const total = tasks.length * groupSize;
    let done = 0;
    const t0 = Date.now();
    const rollouts = await Promise.race([
      sinkError,
      runGroupBatch({
        tasks,
        groupSize,
        concurrency,
        maxTurns,
        maxErrors,
        policyFor: () => policy,
        baseStateFor: stateFor,
        createAgent: (task, i) => createAgentDriver(agentConfig, ctx(task, i)),
        createUser: (task, i) => createUserDriver(userConfig, ctx(task, i)),
        onRollout: (r) => {
          sink.write(JSON.stringify(r) + "\n");
          done++;
          progress(`[${done}/${total}] task ${r.task_id} #${r.sample_index}: reward ${r.reward} (${r.termination})`);
        },
      }),
    ]);
    await new Promise<void>((ok, fail) => sink.end((e?: Error | null) => (e ? fail(e) : ok())));

    const byTask = new Map<string, { n: number; c: number }>();
    const tokens = { prompt_tokens: 0, completion_tokens: 0, user_prompt_tokens: 0, user_completion_tokens: 0 };
    for (const r of rollouts) {
      const s = byTask.get(r.task_id) ?? { n: 0, c: 0 };
      s.n++;
      s.c += r.outcome;
      byTask.set(r.task_id, s);
      tokens.prompt_tokens += r.usage?.prompt_tokens ?? 0;
      tokens.completion_tokens += r.usage?.completion_tokens ?? 0;
      const uu = (r.metadata?.user_usage ?? {}) as { prompt_tokens?: number; completion_tokens?: number };
      tokens.user_prompt_tokens += uu.prompt_tokens ?? 0;
      tokens.user_completion_tokens += uu.completion_tokens ?? 0;
    }
    const perTask = [...byTask.values()];
    const passHat: Record<string, number> = {};
    for (let k = 1; k <= groupSize; k++) passHat[String(k)] = passHatK(perTask, k);
    progress(`${rollouts.length} rollouts in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${out}`);
    printJson({
      rollouts: rollouts.length,
      pass_rate: rollouts.length ? rollouts.reduce((a, r) => a + r.outcome, 0) / rollouts.length : 0,
      pass_hat_k: passHat,
      tokens,
    });
  },
};

export default command;
