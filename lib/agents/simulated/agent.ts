/**
 * The built-in simulated agent: deterministic given its seed, works from the
 * conversation alone (never the task's gold). It parses the user's controlled language,
 * asks for missing facts, looks things up with read tools (reading their results from
 * the tool messages), compares candidates with the shared domain rules, lists the action
 * and waits for "yes", writes, and tells the user amounts. Skill knobs inject the
 * mistakes real agents make, drawn per rollout from the seed.
 *
 * State is kept incrementally: each call processes only the messages added since the
 * previous call (a shorter or different history resets it), so an episode is O(n).
 */
import type { AgentDriver, AgentTurnInput } from "../types";
import type { AssistantMessage, Message } from "../../types/messages";
import { createRng, mixSeed, type Rng } from "../../random/prng";
import type { ResLike, UserLike } from "../../synthesis/rules";
import type { ToolAction } from "../../synthesis/spec";
import { decide, resultText } from "./agent-decide";
import { newJob, readiness, type CallMessage, type Job, type WrittenJob } from "./agent-jobs";
import { AgentKnowledge, changesUserRecord, itinerariesOf, key, parseContent, rAction, uAction } from "./agent-knowledge";
import { corruptArgs, slipArgs } from "./agent-mistakes";
import { ReadPlanner } from "./agent-reads";
import { agentSay } from "./agent-language";
import { messageFingerprint } from "./message-fingerprint";
import { parseUserMessage } from "./user-language";
import { PRESET_KNOBS, type AgentKnobs, type AgentPreset } from "./presets";

export interface SimulatedAgentOptions {
  preset?: AgentPreset;
  seed?: number;
  knobs?: Partial<AgentKnobs>;
}

/**
 * One conversation's agent: the jobs the user asked for, what it knows (agent-knowledge.ts),
 * which read comes next (agent-reads.ts) and what it decides (agent-decide.ts); here, taking
 * in new messages and choosing the turn.
 */
class AgentBrain {
  private readonly rng: Rng;
  private readonly k = new AgentKnowledge();
  private readonly reads: ReadPlanner;
  private seen = 0;
  private lastPrint = "";
  private readonly jobs: Job[] = [];
  private readonly calls = new Map<string, ToolAction>();
  private lastRead: ToolAction | null = null;
  private duplicatePending = false;
  /** Lost after a lookup failed: hand the conversation over on the next turn. */
  private transferPending = false;
  private recheckedProfile = false;
  /** Whether any write has succeeded in this conversation. */
  private wrote = false;
  /** Call ids of reads made with an invented id. */
  private readonly inventedCalls = new Set<string>();
  private lastRefusal: string | null = null;
  private userInsisted = false;
  private callNo = 0;
  private lastJob: Job | null = null;
  private readonly asked = new Map<string, number>();

  constructor(
    private readonly knobs: AgentKnobs,
    seed: number,
  ) {
    this.rng = createRng(mixSeed(seed, "simulated-agent"));
    this.reads = new ReadPlanner(this.k, this.rng, knobs);
  }

  /** Is this the conversation seen so far, continued? (Compared by content, not identity, so copies work.) */
  matches(messages: readonly Message[]): boolean {
    return messages.length >= this.seen && (this.seen === 0 || messageFingerprint(messages[this.seen - 1]) === this.lastPrint);
  }

  ingest(messages: readonly Message[]): void {
    for (let i = this.seen; i < messages.length; i++) this.ingestOne(messages[i]);
    this.seen = messages.length;
    this.lastPrint = messageFingerprint(messages[this.seen - 1]);
  }

  private current(): Job | undefined {
    return this.jobs.find((j) => j.status === "open");
  }

  private ingestOne(m: Message): void {
    if (m.role === "assistant") {
      for (const tc of m.tool_calls ?? []) {
        if (typeof tc.arguments === "object") this.calls.set(tc.id, { name: tc.name, arguments: tc.arguments });
      }
      return;
    }
    if (m.role === "tool") {
      const call = this.calls.get(m.tool_call_id);
      if (call) this.absorbResult(call, m.tool_call_id, m.error, m.content);
      return;
    }
    const parsed = parseUserMessage(m.content);
    if (parsed.userId) this.k.userId = parsed.userId;
    if (parsed.replies.has("mind") && this.lastJob) {
      // The user corrects the request just discussed: reopen it and propose again.
      const j = this.lastJob;
      Object.assign(j.req, parsed.facts);
      if (j.status === "refused") j.status = "open";
      j.confirmAsked = false;
      j.confirmed = false;
    } else {
      const cur = this.current();
      if (Object.keys(parsed.facts).length && cur) Object.assign(cur.req, parsed.facts);
    }
    const cur = this.current();
    if (parsed.replies.has("yes") && cur?.confirmAsked) cur.confirmed = true;
    if (parsed.replies.has("no") && cur?.confirmAsked) cur.status = "refused";
    this.userInsisted = parsed.replies.has("insist");
    for (const r of parsed.requests) this.jobs.push(newJob(r));
  }

  private absorbResult(call: ToolAction, callId: string, error: boolean, content: string): void {
    const callKey = key(call);
    const job = this.jobs.find((j) => j.pendingWrite === callId);
    if (job) job.pendingWrite = null;
    if (error) {
      this.k.failed.add(callKey);
      if (job) this.afterWriteError(job);
      // A lookup with an invented id failed before anything was done: a lost agent gives up and hands over.
      else if (this.inventedCalls.has(callId) && !this.wrote && this.rng.chance(this.knobs.lostAfterError)) this.transferPending = true;
      return;
    }
    const value = parseContent(content);
    const a = call.arguments;
    switch (call.name) {
      case "get_user_details":
        if (value && typeof value === "object") this.k.users.set(String(a.user_id), value as UserLike);
        return;
      case "get_reservation_details":
        if (value && typeof value === "object") this.k.reservations.set(String(a.reservation_id), value as ResLike);
        return;
      case "search_direct_flight":
      case "search_onestop_flight":
        this.k.searches.set(callKey, itinerariesOf(value, String(a.date)));
        return;
      case "get_flight_status":
        this.k.statuses.set(`${String(a.flight_number)}@${String(a.date)}`, String(value));
        return;
    }
    // A write succeeded: keep the reservation it returned. The user's record is re-read only
    // when the write changed it (a new reservation, a balance a later payment may need).
    if (value && typeof value === "object" && "reservation_id" in value) {
      const r = value as ResLike;
      this.k.reservations.set(r.reservation_id, r);
    }
    if (changesUserRecord(call)) this.k.users.clear();
    if (job) {
      job.status = "done";
      job.lastWrite = call;
      this.wrote = true;
    }
  }

  private afterWriteError(job: Job): void {
    // A slip is caught by the system's error message, which names the bad field: fix and retry.
    if (job.slip) {
      job.slip = false;
      return;
    }
    if (job.corrupted && !job.retried && this.rng.chance(this.knobs.fixAfterError)) {
      job.retried = true;
      job.corrupted = false;
      job.wrongArgs = false;
      return;
    }
    job.status = "refused";
    this.lastRefusal = agentSay.refuse("complete that change", "the system returned an error");
    this.pendingText = this.lastRefusal;
  }
  private pendingText: string | null = null;

  // ---- the turn -------------------------------------------------------------------------
  next(): AssistantMessage {
    if (this.transferPending) {
      // Lost agents look at the profile once more (a repeated call) before handing over.
      if (!this.recheckedProfile && this.k.userId) {
        this.recheckedProfile = true;
        return this.call(uAction(this.k.userId));
      }
      this.transferPending = false;
      this.jobs.forEach((j) => j.status === "open" && (j.status = "refused"));
      return this.call({ name: "transfer_to_human_agents", arguments: { summary: "The customer's reservation records could not be found." } });
    }
    if (this.userInsisted && this.lastRefusal) {
      this.userInsisted = false;
      return this.say(this.lastRefusal);
    }
    if (this.pendingText) {
      const t = this.pendingText;
      this.pendingText = null;
      return this.say(t);
    }
    if (this.duplicatePending && this.lastRead) {
      this.duplicatePending = false;
      return this.call(this.lastRead);
    }
    // A job just finished by a write: report it (once), maybe duplicate the write first.
    const reported = this.jobs.find((j): j is WrittenJob => j.status === "done" && j.lastWrite !== null && !this.reportedJobs.has(j));
    if (reported) {
      if (!reported.duplicatedWrite && this.rng.chance(this.knobs.duplicateWrite)) {
        reported.duplicatedWrite = true;
        return this.call(reported.lastWrite);
      }
      this.reportedJobs.add(reported);
      return this.say(agentSay.done(resultText(reported, reported.lastWrite)));
    }
    const job = this.current();
    if (!job) {
      return this.say(this.jobs.length === 0 ? agentSay.ask("intent") : agentSay.anythingElse());
    }
    this.draw(job);
    this.lastJob = job;
    const needsUserId = !this.k.userId && job.req.type !== "explicit";
    const check = readiness(job.req);
    if (needsUserId || !check.ready) {
      const missing = needsUserId || check.ready ? "user_id" : check.missing;
      // Asking a third time gets nowhere: say so and move on.
      const askKey = `${this.jobs.indexOf(job)}:${missing}`;
      const n = (this.asked.get(askKey) ?? 0) + 1;
      this.asked.set(askKey, n);
      if (n > 2) {
        job.status = "refused";
        return this.say(agentSay.refuse("go on with that request", "I need that information to proceed"));
      }
      return this.say(agentSay.ask(missing));
    }
    if (job.earlyStop) {
      job.earlyStop = false;
      this.jobs.forEach((j) => j.status === "open" && (j.status = "refused"));
      return this.say(agentSay.farewell());
    }
    // The invented id stands in for the reservation list it should have read from the profile.
    if (job.inventId && this.k.user()) {
      job.inventId = false;
      const fake = Array.from({ length: 6 }, () => "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[this.rng.int(0, 33)]).join("");
      const msg = this.call(rAction(fake));
      this.inventedCalls.add(msg.tool_calls[0].id);
      return msg;
    }
    const read = this.reads.nextRead(job, check.req);
    if (read) {
      // A wandering agent looks around before each planned read (up to three detours).
      const detour = job.wandering && this.reads.detoursBefore(read) < 6 ? this.reads.detour(read) : null;
      if (detour) return this.call(detour);
      if (this.rng.chance(this.knobs.duplicateRead)) this.duplicatePending = true;
      return this.call(read);
    }
    const prop = decide(job, check.req, this.k, this.reads);
    if (prop.kind === "none") {
      job.status = "refused";
      return this.say(agentSay.noneFound());
    }
    if (prop.kind === "refuse") {
      job.status = "refused";
      this.lastRefusal = agentSay.refuse(prop.what, prop.why);
      return this.say(this.lastRefusal);
    }
    if (!job.confirmed && !job.skipConfirm) {
      job.confirmAsked = true;
      return this.say(agentSay.confirm(prop.summary ?? prop.action.name));
    }
    job.resultLine = prop.result ?? null;
    let action = prop.action;
    if (job.slip) {
      const slipped = slipArgs(action, this.rng);
      if (slipped) action = slipped;
      else job.slip = false;
    } else if (job.wrongArgs && !job.corrupted && !job.retried) {
      job.corrupted = true;
      action = corruptArgs(action, this.rng, [...this.k.reservations.keys()]);
    }
    const msg = this.call(action);
    job.pendingWrite = msg.tool_calls[0].id;
    return msg;
  }
  private readonly reportedJobs = new Set<Job>();

  private draw(job: Job): void {
    if (job.drawn) return;
    job.drawn = true;
    const k = this.knobs;
    job.ignorePolicy = this.rng.chance(k.policyViolation);
    job.skipConfirm = this.rng.chance(k.skipConfirm);
    job.wrongArgs = this.rng.chance(k.wrongArgs);
    job.forgetAmount = this.rng.chance(k.forgetAmount);
    job.earlyStop = this.rng.chance(k.earlyStop);
    job.inventId = this.rng.chance(k.inventId);
    job.slip = this.rng.chance(k.slip);
    job.wandering = this.rng.chance(k.wander);
  }

  private say(content: string): AssistantMessage {
    return { role: "assistant", content };
  }
  private call(a: ToolAction): CallMessage {
    if (a.name.startsWith("get_") || a.name.startsWith("search_")) this.lastRead = a;
    const id = `sim_${this.callNo++}`;
    this.calls.set(id, a);
    return { role: "assistant", content: null, tool_calls: [{ id, name: a.name, arguments: a.arguments }] };
  }
}

export function createSimulatedAgent(opts: SimulatedAgentOptions = {}): AgentDriver {
  const preset = opts.preset ?? "expert";
  const knobs: AgentKnobs = { ...PRESET_KNOBS[preset], ...opts.knobs };
  const seed = opts.seed ?? 0;
  let brain = new AgentBrain(knobs, seed);
  return {
    label: `simulated agent (${preset})`,
    async nextTurn(input: AgentTurnInput): Promise<AssistantMessage> {
      if (!brain.matches(input.messages)) brain = new AgentBrain(knobs, seed);
      brain.ingest(input.messages);
      return brain.next();
    },
  };
}
