/**
 * `writ import --from tau2|jsonl FILE --experiment NAME` — imported rollouts become an
 * experiment with source 'import' (one group per task). Prints {"experiment_id", "rollouts"}.
 */
import { readFile } from "node:fs/promises";
import { closeDb, openDb } from "../../db/client";
import { getEnv } from "../../lib/env";
import { importExperiment } from "../../lib/experiments/import";
import { AppError } from "../../lib/http/errors";
import { CliError, printJson, progress, requiredFlag, type CliCommand } from "../cli-kit";

const command: CliCommand = {
  summary: "import τ² results or rollout JSON lines as an experiment",
  usage: "writ import --from tau2|jsonl FILE --experiment NAME",
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
    const db = openDb(getEnv().WRIT_DB);
    try {
      const result = importExperiment(db, { from, text, name, file });
      if (result.skipped.length) progress(`skipped ${result.skipped.length} simulation(s): ${result.skipped[0].reason}`);
      progress(`imported ${result.rollouts} rollouts in ${result.groups} groups`);
      printJson({ experiment_id: result.experiment_id, rollouts: result.rollouts });
    } catch (err) {
      if (err instanceof AppError) throw new CliError(`${file}: ${err.message}`);
      throw err;
    } finally {
      closeDb(db);
    }
  },
};

export default command;
