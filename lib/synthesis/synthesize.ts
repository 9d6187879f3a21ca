/**
 * WRIT task synthesis: for every grid cell (W writes, B reads per decision) build `count`
 * tasks from the answer (templates/), compose W decisions on one environment so each
 * sees the earlier gold writes, check the gold path against the policy checker, and
 * render each task under a behaviour into τ²'s task JSON plus the `writ` object.
 * Deterministic: output is a function of (state, config) only.
 */
import {
  AirlineEnv,
  DEFAULT_STATE_SEED,
  checkPolicy,
  getGeneratedState,
  type AirlineState,
} from "../airline";
import type { Message } from "../types/messages";
import { AGENT_GREETING } from "../types/messages";
import type { Action, Task } from "../types/task";
import { BEHAVIORS, BEHAVIOR_PROFILES, behaviorFits, renderInstructions, type Behavior } from "./behaviors";
import { parseSynthesisConfig, type SynthesisConfig, type SynthesisConfigInput } from "./config";
import { ReadPlan } from "./read-plan";
import { createRng, mixSeed, type Rng } from "../random/prng";
import type { DecisionSpec, ToolAction } from "./spec";
import { REFUSAL_TEMPLATES, WRITE_TEMPLATES, buildDecision, type TemplateName } from "./templates/catalog";
import type { BuildContext } from "./templates/context";

export interface CellReport {
  writes: number;
  evidence: number;
  requested: number;
  built: number;
  /** Rejected build attempts by reason ("template:reason"), plus "not_built" for the shortfall. */
  rejections: Record<string, number>;
  /** Set when the cell fell short: a one-line explanation. */
  note?: string;
}
export interface SynthesisReport {
  cells: CellReport[];
  total_requested: number;
  total_built: number;
  state_seed: number | null;
}
export interface SynthesisProgress {
  cell: number;
  cells: number;
  built: number;
  requested: number;
}
export interface SynthesisOptions {
  /** The base state (e.g. a τ² domain dir's db); default: the generated state of config.state_seed. */
  state?: AirlineState;
  /** Seed recorded in the tasks when `state` is given (null for a loaded τ² db). */
  stateSeed?: number | null;
  onProgress?: (p: SynthesisProgress) => void;
}

/** Consecutive unbuildable tasks after which a cell that has built nothing is abandoned. */
const GIVE_UP_AFTER = 3;

interface Core {
  userId: string;
  decisions: DecisionSpec[];
}

class Rejections {
  readonly counts: Record<string, number> = {};
  add(reason: string, n = 1): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + n;
  }
}

interface StateIndex {
  state: AirlineState;
  userIds: string[];
  flightNumbers: string[];
  airports: string[];
}
// A WeakMap, not createCache: keyed by object identity and released with the object (createCache keys are strings).
const indexCache = new WeakMap<AirlineState, StateIndex>();
function indexState(state: AirlineState): StateIndex {
  let idx = indexCache.get(state);
  if (!idx) {
    const flightNumbers = Object.keys(state.flights).sort();
    const airports = new Set<string>();
    for (const f of Object.values(state.flights)) {
      airports.add(f.origin);
      airports.add(f.destination);
    }
    idx = { state, userIds: Object.keys(state.users).sort(), flightNumbers, airports: [...airports].sort() };
    indexCache.set(state, idx);
  }
  return idx;
}

function pickUser(rng: Rng, idx: StateIndex, minReservations: number): string {
  for (let i = 0; i < 20; i++) {
    const id = rng.pick(idx.userIds);
    if (idx.state.users[id].reservations.length >= minReservations) return id;
  }
  return rng.pick(idx.userIds);
}

function tryTemplates(names: readonly TemplateName[], ctx: BuildContext, targets: readonly number[], rej: Rejections): DecisionSpec | null {
  for (const B of targets) {
    for (const name of ctx.rng.shuffle([...names])) {
      const r = buildDecision(name, ctx, B);
      if (r.ok) return r.decision;
      rej.add(`${name}:${r.reason}`);
    }
  }
  return null;
}

/** One attempt loop for a task: a user, W decisions (plus a refusal when needed), gold writes executed. */
function buildCore(rng: Rng, idx: StateIndex, W: number, B: number, behaviors: readonly Behavior[], cfg: SynthesisConfig, rej: Rejections): Core | null {
  const profiles = behaviors.map((b) => BEHAVIOR_PROFILES[b]);
  const descriptiveOnly = profiles.some((p) => p.descriptiveRefs);
  const needsRefusal = W === 0 || profiles.some((p) => p.insists);
  const writeTemplates = cfg.templates ?? WRITE_TEMPLATES;
  const refusalTemplates = cfg.refusal_templates ?? REFUSAL_TEMPLATES;
  for (let attempt = 0; attempt < cfg.max_attempts; attempt++) {
    // Several reservation-based decisions need a user with enough reservations to choose from.
    const userId = pickUser(rng, idx, W <= 1 ? 1 : 2 * W);
    const env = new AirlineEnv(idx.state);
    const ctx: BuildContext = {
      env,
      rng,
      userId,
      flightNumbers: idx.flightNumbers,
      airports: idx.airports,
      used: new Set(),
      descriptiveOnly,
      bookingsLeft: 3,
      certificatesLeft: 1,
    };
    const decisions: DecisionSpec[] = [];
    if (needsRefusal) {
      // The refusal of a W = 0 task is the cell's decision (exact B); an insisted-upon one may take any small B.
      const d = tryTemplates(refusalTemplates, ctx, W === 0 ? [B] : [B, 1, 2, 3], rej);
      if (!d) continue;
      if (d.target) ctx.used.add(d.target);
      decisions.push(d);
    }
    let ok = true;
    for (let i = 0; i < W && ok; i++) {
      const d = tryTemplates(writeTemplates, ctx, [B], rej);
      if (!d || !d.write) {
        ok = false;
        break;
      }
      const r = env.call(d.write.name, d.write.arguments);
      if (r.error) {
        rej.add(`${d.template}:gold_write_error`);
        ok = false;
        break;
      }
      if (d.target) ctx.used.add(d.target);
      if (d.write.name === "book_reservation") ctx.bookingsLeft--;
      if (d.write.name === "send_certificate") ctx.certificatesLeft--;
      decisions.push(d);
    }
    if (!ok) continue;
    if (!behaviors.every((b) => behaviorFits(b, decisions))) {
      rej.add("behavior_incompatible");
      continue;
    }
    const violations = checkPolicy(goldPathMessages(decisions), idx.state);
    if (violations.length) {
      rej.add(`policy:${violations[0].rule}`);
      continue;
    }
    return { userId, decisions };
  }
  return null;
}

/** The gold conversation: reads, confirmation, write, amounts, per decision (what checkPolicy must accept). */
export function goldPathMessages(decisions: readonly DecisionSpec[]): Message[] {
  const msgs: Message[] = [
    { role: "assistant", content: AGENT_GREETING },
    { role: "user", content: "I have some requests." },
  ];
  let n = 0;
  const call = (a: ToolAction): void => {
    const id = `gold_${n++}`;
    msgs.push({ role: "assistant", content: null, tool_calls: [{ id, name: a.name, arguments: a.arguments }] });
    msgs.push({ role: "tool", tool_call_id: id, content: "{}", error: false });
  };
  for (const d of decisions) {
    for (const a of d.read_plan) call(a);
    if (d.write) {
      msgs.push({ role: "assistant", content: "Shall I proceed?" });
      msgs.push({ role: "user", content: "Yes." });
      call(d.write);
      msgs.push({ role: "assistant", content: `Done. ${d.communicate_info.join(" ")}` });
    } else {
      msgs.push({ role: "assistant", content: "I'm sorry, I can't do that." });
    }
    msgs.push({ role: "user", content: "OK." });
  }
  return msgs;
}

function chooseBehaviors(rng: Rng, weights: Record<string, number>, n: number): Behavior[] {
  const pool = BEHAVIORS.filter((b) => (weights[b] ?? 0) > 0).map((b) => [b, weights[b]] as const);
  const out: Behavior[] = [];
  while (out.length < n && out.length < pool.length) {
    const b = rng.weighted(pool.filter(([x]) => !out.includes(x)));
    out.push(b);
  }
  return out;
}

function goldActions(taskId: string, decisions: readonly DecisionSpec[], mode: SynthesisConfig["gold_reads"]): Action[] {
  const seen = new ReadPlan();
  const out: ToolAction[] = [];
  for (const d of decisions) {
    for (const a of d.read_plan) {
      if (mode === "none" || (mode === "user" && a.name !== "get_user_details")) continue;
      const before = seen.size;
      seen.add(a.name, a.arguments);
      if (seen.size > before) out.push(a);
    }
    if (d.write) out.push(d.write);
  }
  return out.map((a, i) => ({ action_id: `${taskId}_${i}`, name: a.name, arguments: a.arguments, info: null }));
}

function renderTask(
  id: string,
  core: Core,
  behavior: Behavior,
  state: AirlineState,
  meta: { W: number; B: number; seed: number; stateSeed: number | null; coreId: string; mode: SynthesisConfig["gold_reads"] },
): Task {
  const user = state.users[core.userId];
  const writes = core.decisions.filter((d) => d.write);
  const readPlan = new ReadPlan();
  for (const d of core.decisions) readPlan.addAll(d.read_plan);
  const templates = core.decisions.map((d) => d.template);
  return {
    id,
    description: {
      purpose: `WRIT synthesized task (${templates.join(" + ")}): W=${meta.W}, B=${meta.B} per decision, behaviour ${behavior}.`,
      relevant_policies: null,
      notes: null,
    },
    user_scenario: { persona: null, instructions: renderInstructions(core.decisions, user, behavior) },
    initial_state: null,
    evaluation_criteria: {
      actions: goldActions(id, core.decisions, meta.mode),
      env_assertions: null,
      communicate_info: writes.flatMap((d) => d.communicate_info),
      nl_assertions: core.decisions.map((d) => d.refusal_reason).filter((x): x is string => !!x),
      reward_basis: ["DB", "COMMUNICATE"],
    },
    writ: {
      writes: writes.length,
      evidence: writes.map((d) => d.evidence),
      read_plan: readPlan.actions.map((a) => ({ name: a.name, arguments: a.arguments })),
      behavior,
      seed: meta.seed,
      state_seed: meta.stateSeed,
      user_id: core.userId,
      cell: { writes: meta.W, evidence: meta.B },
      total_reads: readPlan.size,
      core_id: meta.coreId,
      decisions: core.decisions,
    },
  };
}

/** Builds the tasks of a config. Never throws for an impossible cell: its shortfall and reasons are in the report. */
export function synthesizeTasks(configInput: SynthesisConfigInput | SynthesisConfig, opts: SynthesisOptions = {}): { tasks: Task[]; report: SynthesisReport } {
  const cfg = parseSynthesisConfig(configInput);
  const stateSeed = opts.state ? (opts.stateSeed ?? null) : (cfg.state_seed ?? opts.stateSeed ?? DEFAULT_STATE_SEED);
  const state = opts.state ?? getGeneratedState(stateSeed ?? DEFAULT_STATE_SEED);
  const idx = indexState(state);
  const tasks: Task[] = [];
  const cells: CellReport[] = [];
  cfg.grid.forEach((cell, ci) => {
    const { writes: W, evidence: B, count } = cell;
    const rej = new Rejections();
    let built = 0;
    let coreNo = 0;
    let consecutiveFailures = 0;
    let abandoned = false;
    while (built < count) {
      if (consecutiveFailures >= GIVE_UP_AFTER && built === 0) {
        abandoned = true;
        break;
      }
      // Bounded: a cell stops after count + a few failures even when it built something.
      if (coreNo >= count + GIVE_UP_AFTER * Math.max(1, count)) break;
      const seed = mixSeed(cfg.seed, "task", ci, W, B, coreNo);
      const rng = createRng(seed);
      const wanted = chooseBehaviors(rng, cfg.behaviors, cfg.renderings);
      const coreId = `${cfg.id_prefix}-c${ci}-w${W}b${B}-${coreNo}`;
      coreNo++;
      const core = buildCore(rng, idx, W, B, wanted.slice(0, 1), cfg, rej);
      if (!core) {
        consecutiveFailures++;
        continue;
      }
      consecutiveFailures = 0;
      const fitting = wanted.filter((b) => behaviorFits(b, core.decisions));
      for (const b of fitting) {
        if (built >= count) break;
        const id = cfg.renderings > 1 ? `${coreId}-${b}` : coreId;
        tasks.push(renderTask(id, core, b, state, { W, B, seed, stateSeed, coreId, mode: cfg.gold_reads }));
        built++;
      }
      opts.onProgress?.({ cell: ci, cells: cfg.grid.length, built, requested: count });
    }
    const report: CellReport = { writes: W, evidence: B, requested: count, built, rejections: rej.counts };
    if (built < count) {
      rej.add("not_built", count - built);
      const top = Object.entries(rej.counts)
        .filter(([k]) => k !== "not_built")
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([k, v]) => `${k} ×${v}`)
        .join(", ");
      report.note = `${abandoned ? "abandoned" : "fell short"}: built ${built} of ${count} tasks for W=${W}, B=${B}; most common rejections: ${top || "none"}`;
    }
    cells.push(report);
  });
  return {
    tasks,
    report: {
      cells,
      total_requested: cells.reduce((s, c) => s + c.requested, 0),
      total_built: tasks.length,
      state_seed: stateSeed,
    },
  };
}
