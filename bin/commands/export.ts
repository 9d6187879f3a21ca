/**
 * `writ export --experiment ID --format jsonl|tau2|sft|tasks|rl [--config FILE]
 * [--require-read-coverage] --out FILE` — the same exports the web UI offers
 * (lib/experiments/export.ts). Prints {"experiment_id", "format", "rows", "out"}.
 * `rl`: one JSON line per agent turn with tier, reward and advantage under `--iteration ID`
 * (a stored reward-config version) or `--config FILE` (a reward config JSON); neither = the
 * experiment's latest iteration.
 */
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { once } from "node:events";
import { closeDb, openDb } from "../../db/client";
import { getEnv } from "../../lib/env";
import { EXPORT_FORMATS, exportExperiment, type ExportFormatName } from "../../lib/experiments/export";
import { AppError } from "../../lib/http/errors";
import { CliError, printJson, progress, requiredFlag, stringFlag, type CliCommand } from "../cli-kit";

const command: CliCommand = {
  summary: "export an experiment's rollouts (jsonl, τ² results, SFT rows) or tasks",
  usage: `writ export --experiment ID --format ${EXPORT_FORMATS.join("|")} [--config FILE | --iteration ID] [--require-read-coverage] --out FILE`,
  async run(args) {
    const idText = requiredFlag(args, "experiment");
    const id = Number(idText);
    if (!Number.isSafeInteger(id) || id <= 0) throw new CliError(`--experiment must be an experiment id, got "${idText}"`);
    const format = requiredFlag(args, "format");
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(", ")}`);
    const out = requiredFlag(args, "out");
    const configFile = stringFlag(args, "config");
    let config: unknown;
    if (configFile) {
      try {
        config = JSON.parse(await readFile(configFile, "utf8"));
      } catch (err) {
        throw new CliError(`cannot read --config ${configFile}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const iterationText = stringFlag(args, "iteration");
    let iteration: number | undefined;
    if (iterationText !== undefined) {
      iteration = Number(iterationText);
      if (!Number.isSafeInteger(iteration) || iteration <= 0) throw new CliError(`--iteration must be a reward-config id, got "${iterationText}"`);
      if (configFile) throw new CliError("give --config FILE or --iteration ID, not both");
    }
    const db = openDb(getEnv().WRIT_DB);
    try {
      let stream;
      try {
        stream = exportExperiment(db, id, format as ExportFormatName, { requireReadCoverage: args.flags["require-read-coverage"] === true, config, iteration });
      } catch (err) {
        if (err instanceof AppError) throw new CliError(err.message);
        throw err;
      }
      const file = createWriteStream(out);
      try {
        for (const chunk of stream.chunks) {
          if (!file.write(chunk)) await once(file, "drain");
        }
      } catch (err) {
        file.destroy();
        if (err instanceof AppError) throw new CliError(err.message);
        throw err;
      }
      file.end();
      await once(file, "finish");
      progress(`wrote ${stream.stats.rows} of ${stream.stats.scanned} rows to ${out}`);
      printJson({ experiment_id: id, format, rows: stream.stats.rows, out });
    } finally {
      closeDb(db);
    }
  },
};

export default command;
