/**
 * `writ tau2 replay [--domain-dir DIR] [--tasks FILE] [--state-seed N]`: run every task's
 * oracle trajectory through the environment and evaluator; one JSON line per task.
 */
import { CliError, numberFlag, printJson, progress, stringFlag, type CliCommand } from "../cli-kit";
import { AirlineEnv } from "../../lib/airline/env";
import { evaluateTrajectory, isSuccess, oracleTrajectory } from "../../lib/rollouts/evaluate";
import { resolveTaskSource } from "../../lib/rollouts/evaluate-source";

const command: CliCommand = {
  summary: "replay every task's gold actions through the environment and evaluator (expects reward 1)",
  usage: "writ tau2 replay [--domain-dir DIR] [--tasks FILE] [--state-seed N]",
  async run(args) {
    let source;
    try {
      source = resolveTaskSource({ domainDir: stringFlag(args, "domain-dir"), tasksFile: stringFlag(args, "tasks"), stateSeed: numberFlag(args, "state-seed") });
    } catch (e) {
      throw new CliError((e as Error).message);
    }
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
