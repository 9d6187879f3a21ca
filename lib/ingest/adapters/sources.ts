/**
 * Reading a trainer's output directory (or file) incrementally: the file-system half of the
 * adapters, shared by `writ ingest` and `writ ingest --follow`. Each scan returns the groups that
 * became complete since the last one; `state` is a small JSON object the CLI saves after every
 * delivered batch, so a restarted follower resumes where it stopped without sending a group twice
 * (the server's idempotency makes a replay harmless anyway).
 *
 * When is a group complete?
 * - prime-rl appends one episode per line: a group is released when it has `groupSize`
 *   trajectories (when given), or when its file is closed: a newer step of the same split exists
 *   and the file has not changed for `settleMs`, or the scan is final (not following).
 * - verl and TRL write a whole step file at once: a file is read once it has not changed for
 *   `settleMs` (TRL: and parses as parquet).
 * - τ²: a task's group is released when it has `info.num_trials` simulations, or on a final scan.
 */
import { readFileSync, readdirSync, statSync, openSync, readSync, closeSync, existsSync } from "node:fs";
import { join, relative, basename } from "node:path";
import { GroupAccumulator, type GroupPart } from "./groups";
import { parsePrimeRlRecord, primeRlPathInfo } from "./prime-rl";
import { parseTau2Results, isTau2DirIndex, joinTau2Directory, tau2NumTrials, tau2SimulationIndex } from "./tau2";
import { parseTrlRows, readTrlParquet, trlFileStep } from "./trl";
import { AdapterError, type AdapterIssue, type GroupCreateBody, type TrainerFormat } from "./types";
import { parseVerlDump, verlFileStep } from "./verl";

export interface SourceOptions {
  format: TrainerFormat;
  path: string;
  runId: string;
  /** Trajectories per group, when known (releases prime-rl groups early). */
  groupSize?: number;
  /** TRL: rows per group (GRPOConfig.num_generations). */
  numGenerations?: number;
  taskField?: string;
  taskColumn?: string;
  split?: "train" | "eval";
  /** prime-rl: which subset directory to read (`all` has every episode; `effective` the trained ones). */
  subset?: "all" | "effective";
  step?: number;
  /** A file must be unchanged this long before a whole-file format reads it, or before a prime-rl step closes. */
  settleMs?: number;
  now?: () => number;
}

export interface ReaderState {
  format: TrainerFormat;
  /** prime-rl: per file, the byte offset up to which every line belongs to a released group, and the groups released past it. */
  files?: Record<string, { offset: number; released: string[] }>;
  /** verl / TRL: files fully read. */
  done?: string[];
  /** τ²: group ids released. */
  released?: string[];
}

export interface ScanResult {
  groups: GroupCreateBody[];
  issues: AdapterIssue[];
}

/** Files under `dir` (recursively) whose name matches, as paths relative to `dir`, sorted. */
function listFiles(dir: string, match: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && match(e.name)) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

export class TrainerSource {
  private state: ReaderState;
  private readonly settleMs: number;
  private readonly now: () => number;
  /** prime-rl: one accumulator per file, holding groups not yet complete. */
  private accumulators = new Map<string, GroupAccumulator>();
  /** prime-rl: how far each file has been parsed in this process (≥ the committed offset). */
  private parsedTo = new Map<string, number>();

  constructor(
    private readonly opts: SourceOptions,
    state?: ReaderState | null,
  ) {
    if (!existsSync(opts.path)) throw new AdapterError(`${opts.path} does not exist`);
    this.state = state && state.format === opts.format ? structuredClone(state) : { format: opts.format };
    this.settleMs = opts.settleMs ?? 2000;
    this.now = opts.now ?? Date.now;
  }

  snapshot(): ReaderState {
    return structuredClone(this.state);
  }

  /** `final`: the input is complete (no --follow, or stopping): release what is pending. */
  async scan(final: boolean): Promise<ScanResult> {
    switch (this.opts.format) {
      case "prime-rl":
        return this.scanPrimeRl(final);
      case "verl":
        return this.scanWholeFiles(final, (n) => n.endsWith(".jsonl") && verlFileStep(n) !== undefined);
      case "trl":
        return this.scanWholeFiles(final, (n) => trlFileStep(n) !== undefined);
      case "tau2":
        return this.scanTau2(final);
    }
  }

  private settled(file: string): boolean {
    return this.now() - statSync(file).mtimeMs >= this.settleMs;
  }

  // ---- prime-rl: tail append-only traces.jsonl files ----
  private scanPrimeRl(final: boolean): ScanResult {
    const root = this.opts.path;
    const subset = this.opts.subset ?? "all";
    const files = isDir(root)
      ? listFiles(root, (n) => n === "traces.jsonl").filter((f) => {
          const info = primeRlPathInfo(f);
          return info.subset === undefined || info.subset === subset;
        })
      : [""];
    const state = (this.state.files ??= {});
    const groups: GroupCreateBody[] = [];
    const issues: AdapterIssue[] = [];
    const latestStep = new Map<string, number>();
    for (const f of files) {
      const info = primeRlPathInfo(f || root);
      if (info.step !== undefined) latestStep.set(info.split ?? "", Math.max(latestStep.get(info.split ?? "") ?? -1, info.step));
    }
    for (const rel of files) {
      const abs = rel ? join(root, rel) : root;
      const info = primeRlPathInfo(abs);
      const fileState = (state[rel] ??= { offset: 0, released: [] });
      let acc = this.accumulators.get(rel);
      if (!acc) {
        acc = new GroupAccumulator(this.opts.runId);
        this.accumulators.set(rel, acc);
      }
      const from = this.parsedTo.get(rel) ?? fileState.offset;
      const size = statSync(abs).size;
      let end = from;
      if (size > from) {
        const buf = Buffer.alloc(size - from);
        const fd = openSync(abs, "r");
        try {
          readSync(fd, buf, 0, buf.length, from);
        } finally {
          closeSync(fd);
        }
        // Only whole lines: the writer may be in the middle of one.
        const lastNl = buf.lastIndexOf(0x0a);
        const usable = lastNl + 1;
        let lineStart = 0;
        for (let i = 0; i < usable; i++) {
          if (buf[i] !== 0x0a) continue;
          const line = buf.toString("utf8", lineStart, i).trim();
          const origin = from + lineStart;
          lineStart = i + 1;
          if (!line) continue;
          try {
            const parts = parsePrimeRlRecord(line, { taskField: this.opts.taskField, pathSplit: info.split, pathStep: info.step });
            for (const p of parts) if (!fileState.released.includes(p.group_id)) acc.add({ ...p, origin });
          } catch (err) {
            issues.push({ where: `${rel || basename(abs)}:${lineNumberHint(origin)}`, message: (err as Error).message });
          }
        }
        end = from + usable;
      }
      this.parsedTo.set(rel, end);
      const size0 = this.opts.groupSize;
      const closed =
        final ||
        (info.step !== undefined && (latestStep.get(info.split ?? "") ?? -1) > info.step && this.settled(abs));
      const ready = acc.take((g) => closed || (size0 !== undefined && g.trajectories.length >= size0));
      for (const g of ready) fileState.released.push(g.group_id);
      groups.push(...ready);
      // Commit: everything before the earliest pending line is done; released groups past it are remembered.
      const pendingFrom = acc.earliestPendingOrigin();
      if (pendingFrom === null) {
        fileState.offset = end;
        fileState.released = [];
      } else {
        fileState.offset = Math.max(fileState.offset, Math.min(pendingFrom, end));
      }
    }
    return { groups, issues };
  }

  // ---- verl / TRL: one file per step, written at once ----
  private async scanWholeFiles(final: boolean, match: (name: string) => boolean): Promise<ScanResult> {
    const root = this.opts.path;
    const files = isDir(root) ? listFiles(root, match) : [""];
    const done = new Set((this.state.done ??= []));
    const groups: GroupCreateBody[] = [];
    const issues: AdapterIssue[] = [];
    for (const rel of files) {
      if (done.has(rel)) continue;
      const abs = rel ? join(root, rel) : root;
      if (!final && !this.settled(abs)) continue;
      const name = rel || basename(abs);
      const dirSplit = /(^|[\\/])eval[\\/]/.test(rel) ? "eval" : /(^|[\\/])train[\\/]/.test(rel) ? "train" : undefined;
      const split = this.opts.split ?? dirSplit;
      let parsed: { parts: GroupPart[]; issues: AdapterIssue[] };
      if (this.opts.format === "verl") {
        parsed = parseVerlDump(readFileSync(abs, "utf8"), { fileStep: verlFileStep(abs), split, file: name });
      } else {
        let rows;
        try {
          const bytes = readFileSync(abs);
          rows = await readTrlParquet(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        } catch (err) {
          // A parquet file still being written has no footer yet: try again on the next scan.
          if (!final) continue;
          issues.push({ where: name, message: `cannot read parquet: ${(err as Error).message}` });
          this.state.done!.push(rel);
          continue;
        }
        parsed = parseTrlRows(rows, {
          numGenerations: this.opts.numGenerations ?? 0,
          taskColumn: this.opts.taskColumn,
          fileStep: trlFileStep(abs),
          split,
          file: name,
        });
      }
      const acc = new GroupAccumulator(this.opts.runId);
      for (const p of parsed.parts) acc.add(p);
      groups.push(...acc.flush());
      issues.push(...parsed.issues);
      this.state.done!.push(rel);
    }
    return { groups, issues };
  }

  // ---- τ²: one results document, or results.json + simulations/ ----
  private scanTau2(final: boolean): ScanResult {
    const root = this.opts.path;
    const issues: AdapterIssue[] = [];
    let doc: unknown;
    const resultsPath = isDir(root) ? join(root, "results.json") : root;
    if (!existsSync(resultsPath)) {
      if (final) throw new AdapterError(`${root}: no results.json (τ² directory layout) here`);
      return { groups: [], issues };
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(resultsPath, "utf8"));
    } catch (err) {
      if (!final) return { groups: [], issues }; // being rewritten; next scan
      throw new AdapterError(`${resultsPath}: invalid JSON: ${(err as Error).message}`);
    }
    if (isTau2DirIndex(json)) {
      const dir = join(resultsPath, "..", "simulations");
      const sims: unknown[] = [];
      for (const entry of tau2SimulationIndex(json)) {
        const file = join(dir, `${entry.id}.json`);
        if (!existsSync(file)) {
          if (final) issues.push({ where: `simulations/${entry.id}.json`, message: "listed in simulation_index but missing" });
          continue;
        }
        try {
          sims.push(JSON.parse(readFileSync(file, "utf8")));
        } catch (err) {
          if (final) issues.push({ where: `simulations/${entry.id}.json`, message: `invalid JSON: ${(err as Error).message}` });
        }
      }
      doc = joinTau2Directory(json, sims);
    } else {
      doc = json;
    }
    const parsed = parseTau2Results(doc, { step: this.opts.step, split: this.opts.split });
    issues.push(...parsed.issues);
    const released = new Set((this.state.released ??= []));
    const acc = new GroupAccumulator(this.opts.runId);
    for (const p of parsed.parts) if (!released.has(p.group_id)) acc.add(p);
    const trials = this.opts.groupSize ?? tau2NumTrials(doc);
    const ready = acc.take((g) => final || (trials !== undefined && g.trajectories.length >= trials));
    for (const g of ready) this.state.released!.push(g.group_id);
    return { groups: ready, issues };
  }
}

/** Byte offsets are what the reader tracks; issues name them as "@byte N" (exact and cheap). */
function lineNumberHint(offset: number): string {
  return `@byte ${offset}`;
}
