/**
 * `writ tau2 replay [--domain-dir DIR] [--tasks FILE] [--state-seed N]`: run every task's
 * oracle trajectory through the environment and evaluator; one JSON line per task.
 *
 * `--results FILE` replays the recorded trajectories of a τ² results file instead: one JSON
 * line per simulation with the recorded and the recomputed reward; with
 * `--compare-tool-outputs` each line also carries `tool_outputs` {compared, differences,
 * first: [{message_index, tool_call_id, name, recorded, replayed, diff}]} — every recorded tool
 * output against the one the environment produces now, byte for byte in τ²'s text form.
 */
import { readFileSync } from "node:fs";
import { CliError, numberFlag, printJson, progress, stringFlag, type CliCommand } from "../cli-kit";
import { AirlineEnv } from "../../lib/airline/toolkit/airline-env";
import { importTau2Results } from "../../lib/interchange/tau2-import";
import { compareToolOutputs } from "../../lib/rollouts/compare-tool-outputs";
import { evaluateTrajectory, isSuccess, oracleTrajectory } from "../../lib/rollouts/evaluate";
import { resolveTaskSource, type TaskSource } from "../../lib/rollouts/evaluate-source";

function replayResults(source: TaskSource, file: string, compare: boolean): void {
  let doc;
  try {
    doc = importTau2Results(JSON.parse(readFileSync(file, "utf8")) as unknown);
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  const byId = new Map([...source.tasks, ...doc.tasks].map((t) => [t.id, t]));
  let compared = 0;
  let differences = 0;
  let disagreements = 0;
  for (const r of doc.rollouts) {
    const task = byId.get(r.task_id);
    const tau2 = r.metadata?.tau2 as { id: string; trial: number | null } | undefined;
    const line: Record<string, unknown> = { simulation_id: tau2?.id ?? r.rollout_id, task_id: r.task_id, trial: tau2?.trial ?? r.sample_index, recorded_reward: r.reward };
    if (!task) line.error = `task "${r.task_id}" not found`;
    else {
      const base = source.baseFor(task);
      line.reward = evaluateTrajectory({ task, messages: r.messages, termination: r.termination, baseState: base }).reward;
      if (Math.abs((line.reward as number) - r.reward) > 1e-6) disagreements++;
      if (compare) {
        const c = compareToolOutputs(r.messages, base);
        compared += c.compared;
        differences += c.differences;
        line.tool_outputs = c;
      }
    }
    printJson(line);
  }
  progress(`${doc.rollouts.length} simulations; ${disagreements} recorded reward(s) differ from the recomputed one`);
  if (compare) progress(`${differences} of ${compared} recorded tool outputs differ on replay`);
}

const command: CliCommand = {
  summary: "replay every task's gold actions (or a τ² results file's recorded trajectories) through the environment and evaluator",
  usage: "writ tau2 replay [--domain-dir DIR] [--tasks FILE] [--state-seed N] [--results FILE [--compare-tool-outputs]]",
  async run(args) {
    let source;
    try {
      source = resolveTaskSource({ domainDir: stringFlag(args, "domain-dir"), tasksFile: stringFlag(args, "tasks"), stateSeed: numberFlag(args, "state-seed") });
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    const results = stringFlag(args, "results");
    const compare = args.flags["compare-tool-outputs"] === true;
    if (results) return replayResults(source, results, compare);
    if (compare) throw new CliError("--compare-tool-outputs needs --results FILE (oracle trajectories have no recorded outputs)");
    progress(`replaying ${source.tasks.length} tasks on ${source.label}`);
    let passed = 0;
    for (const task of source.tasks) {
      const base = source.baseFor(task);
      const messages = oracleTrajectory(task, base);
      // Report gold actions the tools reject: such a task cannot be solved as written.
      const toolErrors: string[] = [];
      const env = new AirlineEnv(base);
      (task.evaluation_criteria?.actions ?? []).forEach((a, i) => {
        const r = env.call(a.name, a.arguments);
        if (r.error) toolErrors.push(`gold action ${i} (${a.name}): ${r.content}`);
      });
      const score = evaluateTrajectory({ task, messages, termination: "user_stop", baseState: base });
      if (isSuccess(score.reward)) passed++;
      const error = [score.error, ...toolErrors].filter(Boolean).join("; ") || null;
      printJson({ task_id: task.id, reward: score.reward, db_match: score.db_match, communicate_match: score.communicate_match, error });
    }
    progress(`${passed}/${source.tasks.length} tasks at reward 1`);
  },
};
export default command;
