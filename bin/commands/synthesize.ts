/**
 * `writ synthesize --config FILE [--domain-dir DIR] [--state-seed N] --out FILE`: build
 * WRIT tasks for a W × B grid and write them as a τ² tasks.json array (each task with its
 * `writ` object). Prints a JSON summary with the per-cell report; progress on stderr.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { DomainLoadError, loadDomainDir } from "../../lib/airline";
import { SynthesisConfigError, parseSynthesisConfig, synthesizeTasks, type SynthesisOptions } from "../../lib/synthesis";
import { CliError, numberFlag, printJson, progress, requiredFlag, stringFlag, type CliCommand } from "../cli-kit";

const command: CliCommand = {
  summary: "synthesize WRIT tasks over a writes × evidence grid (τ² tasks.json + writ metadata)",
  usage: "writ synthesize --config FILE [--domain-dir DIR] [--state-seed N] --out FILE",
  async run(args) {
    const configPath = requiredFlag(args, "config");
    const out = requiredFlag(args, "out");
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(configPath, "utf8"));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new CliError(`--config ${configPath}: ${e.code === "ENOENT" ? "file not found" : e instanceof SyntaxError ? "not valid JSON" : e.message}`);
    }
    let config;
    try {
      config = parseSynthesisConfig(raw);
    } catch (err) {
      if (err instanceof SynthesisConfigError) throw new CliError(`--config ${configPath}: ${err.message}`);
      throw err;
    }
    const opts: SynthesisOptions = {};
    const dir = stringFlag(args, "domain-dir");
    const stateSeed = numberFlag(args, "state-seed");
    if (stateSeed !== undefined && !Number.isInteger(stateSeed)) throw new CliError("--state-seed must be an integer");
    if (dir) {
      try {
        opts.state = loadDomainDir(dir).state;
      } catch (err) {
        if (err instanceof DomainLoadError) throw new CliError(`--domain-dir: ${err.message}`);
        throw err;
      }
      opts.stateSeed = null;
    } else if (stateSeed !== undefined) config = { ...config, state_seed: stateSeed };
    let lastCell = -1;
    opts.onProgress = (p) => {
      if (p.cell !== lastCell || p.built === p.requested) progress(`cell ${p.cell + 1}/${p.cells}: ${p.built}/${p.requested}`);
      lastCell = p.cell;
    };
    const started = Date.now();
    const { tasks, report } = synthesizeTasks(config, opts);
    writeFileSync(out, JSON.stringify(tasks, null, 2) + "\n");
    printJson({
      out,
      tasks: tasks.length,
      requested: report.total_requested,
      state_seed: report.state_seed,
      seconds: (Date.now() - started) / 1000,
      cells: report.cells,
    });
  },
};
export default command;
