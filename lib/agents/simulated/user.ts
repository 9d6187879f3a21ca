/**
 * The built-in simulated user: deterministic, plays any task that has gold actions.
 * Synthesized tasks: it renders `writ.decisions` in the controlled language according to
 * the task's behaviour (all at once, progressively, split, terse, non-native, no ids,
 * changes its mind once, insists on a forbidden request once). τ² tasks without
 * decisions: it derives one explicit request per gold write (exact ids, flights,
 * amounts). It confirms with "yes", reacts to refusals, and ends with ###STOP### when
 * its requests are handled or the agent is clearly done or stuck, ###TRANSFER### after
 * a transfer.
 */
import type { UserDriver, UserTurnInput } from "../types";
import type { Message, UserMessage } from "../../types/messages";
import type { Task } from "../../types/task";
import { BEHAVIOR_PROFILES, isBehavior, type BehaviorProfile } from "../../synthesis/behaviors";
import type { DecisionSpec, FactKey, Request } from "../../synthesis/spec";
import { parseAgentText } from "./agent-language";
import { messageFingerprint } from "./message-fingerprint";
import { USER_LINES, renderFact, renderRequestLines, requiredKeys, type Style } from "./user-language";
import { deepFreeze } from "../../airline/freeze";

export interface SimulatedUserOptions {
  task: Task;
  seed?: number;
}

interface Goal {
  request: Request;
  expect: "write" | "refuse";
  decoy: DecisionSpec["decoy"];
}

const WRITE_NAMES = new Set(["book_reservation", "cancel_reservation", "update_reservation_flights", "update_reservation_baggages", "update_reservation_passengers", "send_certificate"]);

/**
 * Goals of a task: its decisions, or explicit requests derived from its gold writes.
 * Memoised per task object (every rollout of a group plays the same task) and deep-frozen,
 * so a user brain cannot change what the next rollout is told. A WeakMap keyed by the task
 * object (not a string-keyed cache): the test of "same task, same goals" is identity, and an
 * entry goes when its task does.
 */
const goalCache = new WeakMap<Task, readonly Goal[]>();
export function goalsOf(task: Task): readonly Goal[] {
  let goals = goalCache.get(task);
  if (!goals) {
    goals = deepFreeze(buildGoals(task));
    goalCache.set(task, goals);
  }
  return goals;
}

function buildGoals(task: Task): Goal[] {
  const decisions = (task.writ as { decisions?: DecisionSpec[] } | undefined)?.decisions;
  if (Array.isArray(decisions)) return decisions.map((d) => ({ request: structuredClone(d.request), expect: d.expect, decoy: structuredClone(d.decoy) }));
  return (task.evaluation_criteria?.actions ?? [])
    .filter((a) => WRITE_NAMES.has(a.name))
    .map((a) => ({ request: { type: "explicit", exact: structuredClone({ name: a.name, arguments: a.arguments }) }, expect: "write" as const, decoy: null }));
}

/** The user id: from the task's writ object, its known_info ("user id is X"), or a gold action's arguments. */
export function userIdOf(task: Task): string | null {
  const w = task.writ as { user_id?: string } | undefined;
  if (w?.user_id) return w.user_id;
  const ins = task.user_scenario.instructions;
  const text = typeof ins === "string" ? ins : `${ins.known_info ?? ""}\n${ins.reason_for_call}\n${ins.task_instructions ?? ""}`;
  const m = /user id is:?\s*['"]?([A-Za-z0-9_]+)/i.exec(text);
  if (m) return m[1];
  for (const a of task.evaluation_criteria?.actions ?? []) if (typeof a.arguments.user_id === "string") return a.arguments.user_id;
  return null;
}

class UserBrain {
  private readonly goals: readonly Goal[];
  private readonly profile: BehaviorProfile;
  private readonly style: Style;
  private readonly userId: string | null;
  private idx = 0;
  private readonly stated = new Set<number>();
  private readonly splitRest = new Map<number, FactKey[]>();
  private readonly insisted = new Set<number>();
  private mindGoal: number;
  private idle = 0;
  private turns = 0;
  private seen = 0;
  private lastPrint = "";
  private saidUserId = false;

  constructor(task: Task) {
    this.goals = goalsOf(task);
    const b = String((task.writ as { behavior?: string } | undefined)?.behavior ?? "cooperative");
    this.profile = isBehavior(b) ? BEHAVIOR_PROFILES[b] : BEHAVIOR_PROFILES.cooperative;
    this.style = this.profile.style;
    this.userId = userIdOf(task);
    this.mindGoal = this.profile.changesMind ? this.goals.findIndex((g) => g.expect === "write" && g.decoy) : -1;
  }

  matches(messages: readonly Message[]): boolean {
    return messages.length >= this.seen && (this.seen === 0 || messageFingerprint(messages[this.seen - 1]) === this.lastPrint);
  }

  /** The request as the user currently states it (with the decoy until it changes its mind). */
  private stating(i: number): Request {
    const g = this.goals[i];
    if (i !== this.mindGoal || !g.decoy) return g.request;
    return { ...g.request, [g.decoy.key]: g.decoy.value };
  }

  private lines(kind: keyof typeof USER_LINES): string {
    return USER_LINES[kind][this.style];
  }

  /** Lines introducing goal i according to the disclosure mode. */
  private introduce(i: number): string[] {
    this.stated.add(i);
    const req = this.stating(i);
    if (this.profile.disclosure === "progressive") return renderRequestLines(req, this.style, []);
    if (this.profile.disclosure === "split") {
      const keys = requiredKeys(req);
      const half = Math.ceil(keys.length / 2);
      this.splitRest.set(i, keys.slice(half));
      return renderRequestLines(req, this.style, keys.slice(0, half));
    }
    return renderRequestLines(req, this.style);
  }

  private userIdLine(): string[] {
    if (this.saidUserId || !this.userId) return [];
    this.saidUserId = true;
    return [renderFact("user_id", this.userId, this.style)];
  }

  private opening(): string[] {
    if (this.goals.length === 0) return [...this.userIdLine(), this.lines("hello")];
    if (this.profile.disclosure === "progressive") return this.introduce(0);
    const out = this.userIdLine();
    if (this.profile.disclosure === "split") return out.concat(this.introduce(0));
    // All at once, except that an insisted-upon forbidden request comes alone first.
    if (this.profile.insists && this.goals[0].expect === "refuse") return out.concat(this.introduce(0));
    for (let i = 0; i < this.goals.length; i++) out.push(...this.introduce(i));
    return out;
  }

  /** Moves past goal idx; returns what to say next (next request, or the stop). */
  private advance(prefix: string[]): string {
    this.idx++;
    if (this.idx >= this.goals.length) return [...prefix, this.lines("done"), "###STOP###"].join("\n");
    if (this.stated.has(this.idx)) return [...prefix, this.lines("next")].join("\n");
    const out = [...prefix];
    // After an insisted-upon refusal the remaining requests come all together.
    if (this.profile.disclosure === "all") for (let i = this.idx; i < this.goals.length; i++) out.push(...this.introduce(i));
    else out.push(...this.introduce(this.idx));
    return out.join("\n");
  }

  private splitLines(): string[] {
    const rest = this.splitRest.get(this.idx);
    if (!rest?.length) return [];
    this.splitRest.delete(this.idx);
    const req = this.stating(this.idx);
    return rest.filter((k) => req[k] !== undefined).map((k) => renderFact(k, req[k], this.style));
  }

  reply(messages: readonly Message[]): string {
    const fresh = messages.slice(this.seen);
    this.seen = messages.length;
    this.lastPrint = messageFingerprint(messages[this.seen - 1]);
    this.turns++;
    if (fresh.some((m) => m.role === "assistant" && m.tool_calls?.some((c) => c.name === "transfer_to_human_agents"))) return "###TRANSFER###";
    const last = [...fresh].reverse().find((m) => m.role === "assistant" && m.content);
    if (this.turns === 1) return this.opening().join("\n");
    if (this.turns > 20 + 20 * this.goals.length) return "###STOP###";
    const act = last && last.role === "assistant" && last.content ? parseAgentText(last.content) : { kind: "other" as const };
    const goal = this.goals[this.idx];
    switch (act.kind) {
      case "transfer":
        return "###TRANSFER###";
      case "farewell":
        return "###STOP###";
      case "ask": {
        this.idle = 0;
        if (act.key === "user_id") {
          this.saidUserId = false;
          return [...this.userIdLine(), ...this.splitLines()].join("\n") || this.lines("unknown");
        }
        if (act.key === "intent") {
          if (!goal) return [this.lines("done"), "###STOP###"].join("\n");
          if (!this.stated.has(this.idx)) return [...this.userIdLine(), ...this.introduce(this.idx)].join("\n");
          return this.lines("next");
        }
        if (!goal) return this.lines("unknown");
        const req = this.stating(this.idx);
        const value = req[act.key];
        const lines = value === undefined ? [] : [renderFact(act.key, value, this.style)];
        const rest = this.splitLines().filter((l) => !lines.includes(l));
        return [...lines, ...rest].join("\n") || this.lines("unknown");
      }
      case "confirm": {
        this.idle = 0;
        if (goal && this.idx === this.mindGoal && goal.decoy) {
          this.mindGoal = -1;
          return [this.lines("mind"), renderFact(goal.decoy.key, goal.request[goal.decoy.key], this.style)].join("\n");
        }
        return this.lines("yes");
      }
      case "done":
        this.idle = 0;
        if (!goal) return [this.lines("done"), "###STOP###"].join("\n");
        return this.advance([]);
      case "refuse":
      case "none_found": {
        this.idle = 0;
        if (!goal) return [this.lines("done"), "###STOP###"].join("\n");
        if (this.idx === this.mindGoal && goal.decoy) {
          this.mindGoal = -1;
          return [this.lines("mind"), renderFact(goal.decoy.key, goal.request[goal.decoy.key], this.style)].join("\n");
        }
        if (goal.expect === "refuse" && this.profile.insists && !this.insisted.has(this.idx)) {
          this.insisted.add(this.idx);
          return this.lines("insist");
        }
        return this.advance([this.lines("accept")]);
      }
      case "anything_else":
        if (!goal) return [this.lines("done"), "###STOP###"].join("\n");
        this.idle++;
        if (this.idle > 2) return "###STOP###";
        return this.stated.has(this.idx) ? [...renderRequestLines(this.stating(this.idx), this.style)].join("\n") : this.advance([]);
      default: {
        this.idle++;
        if (this.idle > 2 || !goal) return "###STOP###";
        return renderRequestLines(this.stating(this.idx), this.style).join("\n");
      }
    }
  }
}

export function createSimulatedUser(opts: SimulatedUserOptions): UserDriver {
  let brain = new UserBrain(opts.task);
  return {
    label: "simulated user",
    async nextTurn(input: UserTurnInput): Promise<UserMessage> {
      if (!brain.matches(input.messages)) brain = new UserBrain(opts.task);
      return { role: "user", content: brain.reply(input.messages) };
    },
  };
}
