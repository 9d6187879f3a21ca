import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STATE_SEED, checkPolicy, getGeneratedState, loadTasksFile, type AirlineState } from "../airline";
import { evaluateTrajectory, oracleTrajectory } from "../rollouts/evaluate";
import { AGENT_GREETING, type Message } from "../types/messages";
import { taskListSchema, type Task } from "../types/task";
import { BEHAVIORS, SynthesisConfigError, goldPathMessages, parseSynthesisConfig, synthesizeTasks, type DecisionSpec } from ".";
import { makeTempDir } from "../../tests/temp-dir";

const ALL_BEHAVIORS = Object.fromEntries(BEHAVIORS.map((b) => [b, 1]));
const decisionsOf = (t: Task): DecisionSpec[] => (t.writ as unknown as { decisions: DecisionSpec[] }).decisions;

/** A trajectory that makes exactly these writes and says every communicate_info string. */
function trajectoryWith(task: Task, writes: { name: string; arguments: Record<string, unknown> }[]): Message[] {
  const msgs: Message[] = [
    { role: "assistant", content: AGENT_GREETING },
    { role: "user", content: "hello" },
  ];
  writes.forEach((w, i) => {
    msgs.push({ role: "assistant", content: null, tool_calls: [{ id: `w${i}`, name: w.name, arguments: w.arguments }] });
    msgs.push({ role: "tool", tool_call_id: `w${i}`, content: "{}", error: false });
  });
  msgs.push({ role: "assistant", content: (task.evaluation_criteria?.communicate_info ?? []).join(" ") || "done" });
  msgs.push({ role: "user", content: "###STOP###" });
  return msgs;
}

describe("synthesizeTasks on the 5×5 grid", () => {
  let base: AirlineState;
  let tasks: Task[];
  let report: ReturnType<typeof synthesizeTasks>["report"];
  beforeAll(() => {
    base = getGeneratedState(DEFAULT_STATE_SEED);
    const grid = [1, 2, 3, 4, 5].flatMap((writes) => [1, 2, 4, 8, 16].map((evidence) => ({ writes, evidence, count: 10 })));
    ({ tasks, report } = synthesizeTasks({ grid, seed: 7, behaviors: ALL_BEHAVIORS }));
  });

  it("builds every requested task and reports each cell", () => {
    expect(report.cells).toHaveLength(25);
    for (const c of report.cells) expect(c.built, `W=${c.writes} B=${c.evidence}: ${c.note}`).toBe(10);
    expect(tasks).toHaveLength(250);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(250);
  });

  it("records W gold writes and B reads per decision", () => {
    for (const t of tasks) {
      const cell = (t.writ as unknown as { cell: { writes: number; evidence: number } }).cell;
      const writes = (t.evaluation_criteria?.actions ?? []).filter((a) => !a.name.startsWith("get_") && !a.name.startsWith("search_"));
      expect(writes).toHaveLength(cell.writes);
      expect(t.writ?.writes).toBe(cell.writes);
      expect(t.writ?.evidence).toEqual(Array(cell.writes).fill(cell.evidence));
      for (const d of decisionsOf(t)) {
        expect(d.read_plan.length).toBe(d.evidence);
        if (d.expect === "write") expect(d.evidence).toBe(cell.evidence);
      }
    }
  });

  it("gold path scores 1 and passes the policy checker", () => {
    for (const t of tasks) {
      const ev = evaluateTrajectory({ task: t, messages: oracleTrajectory(t, base), termination: "user_stop", baseState: base });
      expect(ev.reward, t.id).toBe(1);
      expect(checkPolicy(goldPathMessages(decisionsOf(t)), base), t.id).toEqual([]);
    }
  });

  it("the runner-up of each decision scores 0", () => {
    let checked = 0;
    for (const t of tasks) {
      const ds = decisionsOf(t);
      const gold = ds.filter((d) => d.write).map((d) => d.write!);
      ds.forEach((d) => {
        if (!d.write || !d.runner_up) return;
        const writes = gold.map((w) => (w === d.write ? d.runner_up! : w));
        const ev = evaluateTrajectory({ task: t, messages: trajectoryWith(t, writes), termination: "user_stop", baseState: base });
        expect(ev.reward, `${t.id} ${d.template}`).toBe(0);
        checked++;
      });
      // And the gold writes alone, said with the amounts, score 1.
      const ok = evaluateTrajectory({ task: t, messages: trajectoryWith(t, gold), termination: "user_stop", baseState: base });
      expect(ok.reward, t.id).toBe(1);
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("a refusal task changes nothing: doing the forbidden write scores 0", () => {
    const { tasks: refusals } = synthesizeTasks({ grid: [{ writes: 0, evidence: 1, count: 10 }, { writes: 0, evidence: 2, count: 5 }], seed: 3 });
    expect(refusals).toHaveLength(15);
    for (const t of refusals) {
      const d = decisionsOf(t)[0];
      expect(d.expect).toBe("refuse");
      expect(t.evaluation_criteria?.nl_assertions?.length).toBeGreaterThan(0);
      expect(evaluateTrajectory({ task: t, messages: oracleTrajectory(t, base), termination: "user_stop", baseState: base }).reward).toBe(1);
      if (d.runner_up) {
        expect(evaluateTrajectory({ task: t, messages: trajectoryWith(t, [d.runner_up]), termination: "user_stop", baseState: base }).reward).toBe(0);
      }
    }
  });

  it("output is τ² task JSON that loads through the schema and the τ² loader", () => {
    expect(taskListSchema.safeParse(JSON.parse(JSON.stringify(tasks))).success).toBe(true);
    const dir = makeTempDir("writ-synth-");
    const file = join(dir, "tasks.json");
    writeFileSync(file, JSON.stringify(tasks));
    const loaded = loadTasksFile(file);
    expect(loaded).toHaveLength(tasks.length);
    const ins = tasks[0].user_scenario.instructions;
    expect(typeof ins === "object" && ins.reason_for_call.length > 0).toBe(true);
  });

  it("uses every behaviour and several templates and levers", () => {
    expect(new Set(tasks.map((t) => t.writ?.behavior))).toEqual(new Set(BEHAVIORS));
    const templates = new Set(tasks.flatMap((t) => decisionsOf(t).map((d) => d.template)));
    for (const name of ["book", "cancel", "change_flights", "change_cabin", "add_bags", "change_passenger", "compensation"]) expect(templates).toContain(name);
    const levers = new Set(tasks.flatMap((t) => decisionsOf(t).flatMap((d) => d.levers.map((l) => l.split(":")[0]))));
    for (const l of ["flexible_dates", "several_origins", "direct_and_onestop", "argmin", "scan", "status_checks", "round_trip"]) expect(levers).toContain(l);
  });

  it("no-ids tasks never name a reservation by id", () => {
    for (const t of tasks.filter((x) => x.writ?.behavior === "no_ids")) {
      for (const d of decisionsOf(t)) expect(d.request.reservation?.by).not.toBe("id");
    }
  });
});

describe("determinism and rendering", () => {
  const cfg = { grid: [{ writes: 2, evidence: 4, count: 6 }, { writes: 1, evidence: 8, count: 4 }], seed: 11, behaviors: ALL_BEHAVIORS };

  it("same config and seed give byte-identical JSON; another seed differs", () => {
    const a = JSON.stringify(synthesizeTasks(cfg).tasks);
    const b = JSON.stringify(synthesizeTasks(cfg).tasks);
    expect(a).toBe(b);
    expect(JSON.stringify(synthesizeTasks({ ...cfg, seed: 12 }).tasks)).not.toBe(a);
  });

  it("renders one underlying task under several behaviours", () => {
    const { tasks } = synthesizeTasks({ grid: [{ writes: 1, evidence: 2, count: 9 }], seed: 5, renderings: 3, behaviors: { cooperative: 1, terse: 1, non_native: 1 } });
    expect(tasks).toHaveLength(9);
    const byCore = new Map<string, Task[]>();
    for (const t of tasks) {
      const core = String((t.writ as unknown as { core_id: string }).core_id);
      byCore.set(core, [...(byCore.get(core) ?? []), t]);
    }
    for (const group of byCore.values()) {
      expect(new Set(group.map((t) => t.writ?.behavior)).size).toBe(group.length);
      expect(new Set(group.map((t) => JSON.stringify(t.evaluation_criteria?.actions?.map((a) => [a.name, a.arguments])))).size).toBe(1);
    }
  });

  it("records the state seed, or null for a given state", () => {
    const { tasks } = synthesizeTasks({ grid: [{ writes: 1, evidence: 2, count: 1 }], seed: 1 });
    expect(tasks[0].writ?.state_seed).toBe(DEFAULT_STATE_SEED);
    const { tasks: t2 } = synthesizeTasks({ grid: [{ writes: 1, evidence: 2, count: 1 }], seed: 1 }, { state: getGeneratedState(DEFAULT_STATE_SEED) });
    expect(t2[0].writ?.state_seed).toBeNull();
  });

  it("gold_reads picks which reads the τ² action list carries", () => {
    const c = { grid: [{ writes: 1, evidence: 4, count: 3 }], seed: 2 };
    const all = synthesizeTasks({ ...c, gold_reads: "all" }).tasks;
    const none = synthesizeTasks({ ...c, gold_reads: "none" }).tasks;
    expect(none.every((t) => t.evaluation_criteria?.actions?.length === 1)).toBe(true);
    expect(all.every((t) => t.evaluation_criteria?.actions?.length === 1 + (t.writ?.read_plan.length ?? 0))).toBe(true);
  });
});

describe("config validation and impossible cells", () => {
  const bad = (input: unknown): string => {
    try {
      parseSynthesisConfig(input);
    } catch (e) {
      expect(e).toBeInstanceOf(SynthesisConfigError);
      return (e as Error).message;
    }
    throw new Error("accepted");
  };

  it("rejects bad configs with messages naming the field", () => {
    expect(bad({ grid: [] })).toMatch(/^grid: .*at least one cell/);
    expect(bad({ grid: [{ writes: 9, evidence: 2, count: 1 }] })).toMatch(/grid\[0\]\.writes: W must be between 0 and 8/);
    expect(bad({ grid: [{ writes: 1, evidence: 0, count: 1 }] })).toMatch(/grid\[0\]\.evidence: B must be between 1 and 32/);
    expect(bad({ grid: [{ writes: 1, evidence: 2, count: 0 }] })).toMatch(/grid\[0\]\.count/);
    expect(bad({ grid: [{ writes: 1, evidence: 2, count: 1 }], behaviors: { shouting: 1 } })).toMatch(/behaviors\.shouting: unknown behaviour/);
    expect(bad({ grid: [{ writes: 1, evidence: 2, count: 1 }], colour: "red" })).toMatch(/colour/);
    expect(() => synthesizeTasks({ grid: [] })).toThrow(SynthesisConfigError);
  });

  it("reports an impossible cell with counts and reasons instead of crashing", () => {
    const { tasks, report } = synthesizeTasks({ grid: [{ writes: 1, evidence: 1, count: 4 }, { writes: 1, evidence: 2, count: 2 }], templates: ["book"], seed: 1, max_attempts: 5 });
    expect(report.cells[0]).toMatchObject({ requested: 4, built: 0 });
    expect(report.cells[0].rejections["book:b_unreachable"]).toBeGreaterThan(0);
    expect(report.cells[0].rejections.not_built).toBe(4);
    expect(report.cells[0].note).toMatch(/built 0 of 4/);
    expect(report.cells[1].built).toBe(2);
    expect(tasks).toHaveLength(2);
  });
});
