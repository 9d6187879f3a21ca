/**
 * `writ evaluate [--domain-dir DIR] [--tasks FILE] [--state-seed N] --task ID --trajectory FILE`:
 * score one trajectory (rollout JSON; only `messages` and `termination` are read). With
 * --compare-tool-outputs the output also has `tool_outputs` {compared, differences, first}. A JSON-lines
 * file is accepted too: its first line whose task_id is ID (or its only line) is used.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { CliError, numberFlag, printJson, requiredFlag, stringFlag, type CliCommand } from "../cli-kit";
import { checkPolicy } from "../../lib/airline/check-policy";
import { evaluateTrajectory } from "../../lib/rollouts/evaluate";
import { compareToolOutputs } from "../../lib/rollouts/compare-tool-outputs";
import { resolveTaskSource } from "../../lib/rollouts/evaluate-source";
import { messageSchema, terminationSchema, USER_STOP_TOKENS } from "../../lib/types/messages";

const trajectorySchema = z.object({
  task_id: z.string().optional(),
  messages: z.array(messageSchema),
  termination: terminationSchema.optional(),
});

function readTrajectory(file: string, taskId: string): z.infer<typeof trajectorySchema> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(`${file}: cannot read (${(e as Error).message})`);
  }
  let docs: unknown[];
  try {
    docs = [JSON.parse(text)];
  } catch {
    try {
      docs = text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
    } catch (e) {
      throw new CliError(`${file}: neither JSON nor JSON lines (${(e as Error).message})`);
    }
  }
  const pick = docs.length === 1 ? docs[0] : docs.find((d) => (d as { task_id?: unknown })?.task_id === taskId);
  if (pick === undefined) throw new CliError(`${file}: no rollout with task_id "${taskId}"`);
  const res = trajectorySchema.safeParse(pick);
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new CliError(`${file}: field ${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
  }
  return res.data;
}

const command: CliCommand = {
  summary: "score one trajectory against a task (τ² reward, recall diagnostics, policy violations)",
  usage: "writ evaluate [--domain-dir DIR] [--tasks FILE] [--state-seed N] --task ID --trajectory FILE [--compare-tool-outputs]",
  async run(args) {
    const taskId = requiredFlag(args, "task");
    const trajectoryFile = requiredFlag(args, "trajectory");
    let source;
    try {
      source = resolveTaskSource({ domainDir: stringFlag(args, "domain-dir"), tasksFile: stringFlag(args, "tasks"), stateSeed: numberFlag(args, "state-seed") });
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    const task = source.tasks.find((t) => t.id === taskId);
    if (!task) throw new CliError(`task "${taskId}" not found`);
    const traj = readTrajectory(trajectoryFile, taskId);
    // Without a recorded termination, a final user stop token means the user ended it.
    const last = [...traj.messages].reverse().find((m) => m.role === "user");
    const termination = traj.termination ?? (last && USER_STOP_TOKENS.some((t) => last.content.includes(t)) ? "user_stop" : "error");
    const base = source.baseFor(task);
    const score = evaluateTrajectory({ task, messages: traj.messages, termination, baseState: base });
    printJson({
      reward: score.reward,
      db_match: score.db_match,
      communicate_match: score.communicate_match,
      termination: score.termination,
      read_recall: score.read_recall,
      write_recall: score.write_recall,
      policy_violations: checkPolicy(traj.messages, base),
      ...(score.missing_communicate ? { missing_communicate: score.missing_communicate } : {}),
      ...(score.error ? { error: score.error } : {}),
      // Every recorded tool output against the replayed one (τ² text or this project's form).
      ...(args.flags["compare-tool-outputs"] === true ? { tool_outputs: compareToolOutputs(traj.messages, base, 5, "any") } : {}),
    });
  },
};
export default command;
