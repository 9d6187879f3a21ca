/**
 * `writ export --experiment ID --format jsonl|tau2|sft|tasks|rl [--config FILE]
 * [--rl-layout compact|full] [--require-read-coverage] --out FILE` — the same exports the web
 * UI offers (lib/experiments/export.ts), written by the same streaming code as an export job
 * (lib/exports/write-file.ts: a page of rollouts at a time, never the whole experiment in
 * memory). Prints {"experiment_id", "format", "rows", "bytes", "out"}.
 * `rl`: tier, reward and advantage per agent turn under `--iteration ID` (a stored
 * reward-config version) or `--config FILE` (a reward config JSON); neither = the
 * experiment's latest iteration. `--rl-layout compact` (default) writes a line per rollout
 * with its messages once, `full` a line per turn with the whole prompt (README, "Exports").
 */
import { readFile } from "node:fs/promises";
import { closeDb, openDb } from "../../db/client";
import { getEnv } from "../../lib/settings";
import { EXPORT_FORMATS, exportExperiment, type ExportFormatName } from "../../lib/experiments/export";
import { AppError } from "../../lib/errors/app-error";
import { RL_LAYOUTS, type RlLayout } from "../../lib/interchange/rl";
import { EXPORT_PAGE_GROUPS } from "../../lib/exports/schemas";
import { writeExportFile } from "../../lib/exports/write-file";
import { CliError, printJson, progress, requiredFlag, stringFlag, type CliCommand } from "../cli-kit";

const command: CliCommand = {
  summary: "export an experiment's rollouts (jsonl, τ² results, SFT rows) or tasks",
  usage: `writ export --experiment ID --format ${EXPORT_FORMATS.join("|")} [--config FILE | --iteration ID] [--rl-layout ${RL_LAYOUTS.join("|")}] [--require-read-coverage] --out FILE`,
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
    const layoutText = stringFlag(args, "rl-layout") ?? "compact";
    if (!(RL_LAYOUTS as readonly string[]).includes(layoutText)) throw new CliError(`--rl-layout must be one of ${RL_LAYOUTS.join(", ")}`);
    const db = openDb(getEnv().WRIT_DB);
    try {
      let stream;
      try {
        stream = exportExperiment(db, id, format as ExportFormatName, {
          requireReadCoverage: args.flags["require-read-coverage"] === true,
          config,
          iteration,
          rlLayout: layoutText as RlLayout,
          pageGroups: EXPORT_PAGE_GROUPS,
        });
      } catch (err) {
        if (err instanceof AppError) throw new CliError(err.message);
        throw err;
      }
      let written;
      try {
        written = await writeExportFile(stream, out, {
          mode: 0o666, // an ordinary file of the user's (umask applies)
          progressEveryMs: 1_000,
          onProgress: (s) => progress(`${s.scanned} read, ${s.rows} rows written`),
        });
      } catch (err) {
        if (err instanceof AppError) throw new CliError(err.message);
        throw err;
      }
      progress(`wrote ${written.rows} of ${written.scanned} rows to ${out}`);
      printJson({ experiment_id: id, format, rows: written.rows, bytes: written.bytes, out });
    } finally {
      closeDb(db);
    }
  },
};

export default command;
