/**
 * `writ import --from tau2|jsonl FILE --experiment NAME [--domain-dir DIR] [--tasks FILE]` —
 * imported rollouts become an experiment with source 'import' (one group per task), checked
 * against their tasks and re-scored with the project's evaluator when a base state is known
 * (--domain-dir, else TAU2_DATA_DIR). Prints {"experiment_id", "rollouts", "report"}.
 */
import { readFile } from "node:fs/promises";
import { closeDb, openDb } from "../../db/client";
import { getEnv } from "../../lib/settings";
import { importExperiment } from "../../lib/experiments/import";
import { AppError } from "../../lib/errors/app-error";
import { loadTasksFile } from "../../lib/airline/load";
import { CliError, printJson, progress, requiredFlag, stringFlag, type CliCommand } from "../cli-kit";

const command: CliCommand = {
  summary: "import τ² results or rollout JSON lines as an experiment",
  usage: "writ import --from tau2|jsonl FILE --experiment NAME [--domain-dir DIR] [--tasks FILE]",
  async run(args) {
    const from = requiredFlag(args, "from");
    if (from !== "tau2" && from !== "jsonl") throw new CliError(`--from must be tau2 or jsonl, got "${from}"`);
    const file = args.positional[0] ?? (typeof args.flags.file === "string" ? args.flags.file : undefined);
    if (!file) throw new CliError("FILE is required: writ import --from tau2|jsonl FILE --experiment NAME");
    const name = requiredFlag(args, "experiment");
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const domainDir = stringFlag(args, "domain-dir") ?? (getEnv().TAU2_DATA_DIR || undefined);
    const tasksFile = stringFlag(args, "tasks");
    let tasks;
    try {
      tasks = tasksFile ? loadTasksFile(tasksFile) : undefined;
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    const db = openDb(getEnv().WRIT_DB);
    try {
      const result = importExperiment(db, { from, text, name, file, domainDir, tasks });
      if (result.skipped.length) progress(`skipped ${result.skipped.length} simulation(s): ${result.skipped[0].reason}`);
      progress(`imported ${result.rollouts} rollouts in ${result.groups} groups`);
      const rep = result.report;
      progress(
        `re-scored ${rep.rescored}/${result.rollouts}: ${rep.reward_disagreements} recorded reward(s) differ from the recomputed one` +
          (rep.tool_outputs ? `; ${rep.tool_outputs.differences} of ${rep.tool_outputs.compared} recorded tool outputs differ on replay` : "") +
          (rep.not_rescored_reason ? ` (not re-scored: ${rep.not_rescored_reason})` : ""),
      );
      printJson({ experiment_id: result.experiment_id, rollouts: result.rollouts, report: rep });
    } catch (err) {
      if (err instanceof AppError) throw new CliError(`${file}: ${err.message}`);
      throw err;
    } finally {
      closeDb(db);
    }
  },
};

export default command;
