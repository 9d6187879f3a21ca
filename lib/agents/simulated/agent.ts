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
import { createRng, mixSeed, type Rng } from "../../synthesis/rng";
import {
  allFuture,
  bookingTotal,
  cancelAllowed,
  changeFlightsAllowed,
  compensationAllowed,
  findByRef,
  formatAmount,
  itinerariesFromSearch,
  nonfreeBags,
  rankItineraries,
  resolvePayment,
  type Itinerary,
  type Leg,
  type ResLike,
  type UserLike,
} from "../../synthesis/rules";
import type { Cabin, Request, ToolAction } from "../../synthesis/spec";
import { agentSay, messageFingerprint, parseUserMessage, requiredKeys } from "./language";
import { PRESET_KNOBS, type AgentKnobs, type AgentPreset } from "./presets";

export interface SimulatedAgentOptions {
  preset?: AgentPreset;
  seed?: number;
  knobs?: Partial<AgentKnobs>;
}

type Status = "open" | "done" | "refused";

interface Job {
  req: Request;
  status: Status;
  /** Per-request draws, made once when the job starts. */
  drawn: boolean;
  ignorePolicy: boolean;
  skipConfirm: boolean;
  wrongArgs: boolean;
  forgetAmount: boolean;
  earlyStop: boolean;
  inventId: boolean;
  /** The first write attempt gets a detail wrong that the system rejects (see slipArgs). */
  slip: boolean;
  /** Makes exploratory reads off the plan before each planned read. */
  wandering: boolean;
  /** Evidence reads it decided to skip; whether it stopped gathering evidence. */
  skipped: Set<string>;
  evidenceDone: number;
  stopped: boolean;
  confirmAsked: boolean;
  confirmed: boolean;
  /** Write in flight (call id) and what it was. */
  pendingWrite: string | null;
  lastWrite: ToolAction | null;
  corrupted: boolean;
  duplicatedWrite: boolean;
  retried: boolean;
  scanPick: string | null;
  /** What to tell the user once the write succeeded (amounts come from the pre-write state). */
  resultLine: string | null;
}

interface Proposal {
  kind: "write" | "refuse" | "none";
  action?: ToolAction;
  summary?: string;
  result?: string;
  what?: string;
  why?: string;
}

/**
 * Identity of a tool call for the agent's own bookkeeping (what it has read, skipped, seen
 * fail). Called for every candidate read on every turn, and the candidates are rebuilt each
 * turn, so the reads the agent builds itself get a plain concatenation (a NUL cannot occur
 * in an id, airport code or date) instead of JSON.stringify; anything else falls back to it.
 */
function key(a: ToolAction): string {
  const x = a.arguments;
  switch (a.name) {
    case "get_user_details":
      if (typeof x.user_id === "string") return "u\0" + x.user_id;
      break;
    case "get_reservation_details":
      if (typeof x.reservation_id === "string") return "r\0" + x.reservation_id;
      break;
    case "search_direct_flight":
    case "search_onestop_flight":
      if (typeof x.origin === "string" && typeof x.destination === "string" && typeof x.date === "string")
        return (a.name === "search_direct_flight" ? "d\0" : "o\0") + x.origin + "\0" + x.destination + "\0" + x.date;
      break;
  }
  return a.name + JSON.stringify(x);
}
const rAction = (id: string): ToolAction => ({ name: "get_reservation_details", arguments: { reservation_id: id } });
const uAction = (id: string): ToolAction => ({ name: "get_user_details", arguments: { user_id: id } });

/**
 * Parsed tool results, shared across rollouts: the N rollouts of a group read the same
 * records, so most parses are repeats. Values are never mutated by the agent.
 */
const parseCache = new Map<string, unknown>();
const PARSE_CACHE_MAX = 4096;
function parseContent(content: string): unknown {
  const c0 = content.charCodeAt(0);
  if (c0 !== 123 && c0 !== 91) return content;
  let v = parseCache.get(content);
  if (v === undefined) {
    try {
      v = JSON.parse(content) as unknown;
    } catch {
      v = content;
    }
    if (parseCache.size >= PARSE_CACHE_MAX) parseCache.clear();
    parseCache.set(content, v);
  }
  return v;
}
const itineraryCache = new WeakMap<object, Map<string, Itinerary[]>>();
/** Itineraries of a parsed search result (memoised on the shared parsed value). */
function itinerariesOf(value: unknown, date: string): Itinerary[] {
  if (!value || typeof value !== "object") return [];
  let m = itineraryCache.get(value);
  if (!m) itineraryCache.set(value, (m = new Map()));
  let its = m.get(date);
  if (!its) m.set(date, (its = itinerariesFromSearch(value, date)));
  return its;
}

class AgentBrain {
  private readonly rng: Rng;
  private seen = 0;
  private lastPrint = "";
  private userId: string | null = null;
  private readonly jobs: Job[] = [];
  private readonly users = new Map<string, UserLike>();
  private readonly reservations = new Map<string, ResLike>();
  private readonly searches = new Map<string, Itinerary[]>();
  private readonly statuses = new Map<string, string>();
  private readonly failed = new Set<string>();
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
    if (parsed.userId) this.userId = parsed.userId;
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
    for (const r of parsed.requests) this.jobs.push(this.newJob(r));
  }

  private newJob(req: Request): Job {
    return {
      req,
      status: "open",
      drawn: false,
      ignorePolicy: false,
      skipConfirm: false,
      wrongArgs: false,
      forgetAmount: false,
      earlyStop: false,
      inventId: false,
      slip: false,
      wandering: false,
      skipped: new Set(),
      evidenceDone: 0,
      stopped: false,
      confirmAsked: false,
      confirmed: false,
      pendingWrite: null,
      lastWrite: null,
      corrupted: false,
      duplicatedWrite: false,
      retried: false,
      scanPick: null,
      resultLine: null,
    };
  }

  private absorbResult(call: ToolAction, callId: string, error: boolean, content: string): void {
    const k = key(call);
    const job = this.jobs.find((j) => j.pendingWrite === callId);
    if (job) job.pendingWrite = null;
    if (error) {
      this.failed.add(k);
      if (job) this.afterWriteError(job);
      // A lookup with an invented id failed before anything was done: a lost agent gives up and hands over.
      else if (this.inventedCalls.has(callId) && !this.wrote && this.rng.chance(this.knobs.lostAfterError)) this.transferPending = true;
      return;
    }
    const value = parseContent(content);
    const a = call.arguments;
    switch (call.name) {
      case "get_user_details":
        if (value && typeof value === "object") this.users.set(String(a.user_id), value as UserLike);
        return;
      case "get_reservation_details":
        if (value && typeof value === "object") this.reservations.set(String(a.reservation_id), value as ResLike);
        return;
      case "search_direct_flight":
      case "search_onestop_flight":
        this.searches.set(k, itinerariesOf(value, String(a.date)));
        return;
      case "get_flight_status":
        this.statuses.set(`${String(a.flight_number)}@${String(a.date)}`, String(value));
        return;
    }
    // A write succeeded: keep the reservation it returned. The user's record is re-read only
    // when the write changed it (a new reservation, a balance a later payment may need).
    if (value && typeof value === "object" && "reservation_id" in value) {
      const r = value as ResLike;
      this.reservations.set(r.reservation_id, r);
    }
    if (changesUserRecord(call)) this.users.clear();
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
      if (!this.recheckedProfile && this.userId) {
        this.recheckedProfile = true;
        return this.call(uAction(this.userId));
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
    const reported = this.jobs.find((j) => j.status === "done" && j.lastWrite && !this.reportedJobs.has(j));
    if (reported) {
      if (!reported.duplicatedWrite && this.rng.chance(this.knobs.duplicateWrite)) {
        reported.duplicatedWrite = true;
        return this.call(reported.lastWrite!);
      }
      this.reportedJobs.add(reported);
      return this.say(agentSay.done(this.resultText(reported)));
    }
    const job = this.current();
    if (!job) {
      return this.say(this.jobs.length === 0 ? agentSay.ask("intent") : agentSay.anythingElse());
    }
    this.draw(job);
    this.lastJob = job;
    const missing = !this.userId && job.req.type !== "explicit" ? "user_id" : requiredKeys(job.req).find((k) => job.req[k] === undefined);
    if (missing) {
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
    if (job.inventId && this.user()) {
      job.inventId = false;
      const fake = Array.from({ length: 6 }, () => "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[this.rng.int(0, 33)]).join("");
      const msg = this.call(rAction(fake));
      this.inventedCalls.add(msg.tool_calls![0].id);
      return msg;
    }
    const read = this.nextRead(job);
    if (read) {
      // A wandering agent looks around before each planned read (up to three detours).
      const detour = job.wandering && this.detoursBefore(read) < 6 ? this.detour(read) : null;
      if (detour) return this.call(detour);
      if (this.rng.chance(this.knobs.duplicateRead)) this.duplicatePending = true;
      return this.call(read);
    }
    const prop = this.decide(job);
    if (prop.kind === "none") {
      job.status = "refused";
      return this.say(agentSay.noneFound());
    }
    if (prop.kind === "refuse") {
      job.status = "refused";
      this.lastRefusal = agentSay.refuse(prop.what ?? "do that", prop.why ?? "it is not allowed");
      return this.say(this.lastRefusal);
    }
    if (!job.confirmed && !job.skipConfirm) {
      job.confirmAsked = true;
      return this.say(agentSay.confirm(prop.summary ?? prop.action!.name));
    }
    job.resultLine = prop.result ?? null;
    let action = prop.action!;
    if (job.slip) {
      const slipped = slipArgs(action, this.rng);
      if (slipped) action = slipped;
      else job.slip = false;
    } else if (job.wrongArgs && !job.corrupted && !job.retried) {
      job.corrupted = true;
      action = this.corrupt(action);
    }
    const msg = this.call(action);
    job.pendingWrite = msg.tool_calls![0].id;
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
  private call(a: ToolAction): AssistantMessage {
    if (a.name.startsWith("get_") || a.name.startsWith("search_")) this.lastRead = a;
    const id = `sim_${this.callNo++}`;
    this.calls.set(id, a);
    return { role: "assistant", content: null, tool_calls: [{ id, name: a.name, arguments: a.arguments }] };
  }

  // ---- reads ----------------------------------------------------------------------------
  private known(a: ToolAction): boolean {
    if (this.failed.size > 0 && this.failed.has(key(a))) return true;
    switch (a.name) {
      case "get_user_details":
        return this.users.has(String(a.arguments.user_id));
      case "get_reservation_details":
        return this.reservations.has(String(a.arguments.reservation_id));
      case "get_flight_status":
        return this.statuses.has(`${String(a.arguments.flight_number)}@${String(a.arguments.date)}`);
      default:
        return this.searches.has(key(a));
    }
  }

  /** Next essential read not yet known, or null. */
  private essential(list: readonly ToolAction[]): ToolAction | null {
    for (const a of list) if (!this.known(a)) return a;
    return null;
  }

  /** Next evidence read after the skip / stop-early draws, or null when done gathering. */
  private evidence(job: Job, list: readonly ToolAction[]): ToolAction | null {
    if (job.stopped) return null;
    const todo = list.filter((a) => !this.known(a) && !job.skipped.has(key(a)));
    for (const a of todo) {
      const isLastChance = job.evidenceDone === 0 && todo[todo.length - 1] === a;
      if (!isLastChance && this.rng.chance(this.knobs.skipRead)) {
        job.skipped.add(key(a));
        continue;
      }
      job.evidenceDone++;
      if (job.evidenceDone >= 1 && this.rng.chance(this.knobs.stopEarly)) job.stopped = true;
      return a;
    }
    return null;
  }

  /**
   * An exploratory read off the evidence plan: the same search a day earlier or later, or
   * another of the user's reservations. Careless agents wander like this; it costs turns
   * (and, near the turn limit, the task) without changing what they decide.
   */
  private detour(planned: ToolAction): ToolAction | null {
    const a = planned.arguments;
    const fresh = (c: ToolAction) => !this.known(c) && !this.detours.has(key(c)) && key(c) !== key(planned);
    const candidates: ToolAction[] = [];
    if (planned.name.startsWith("search_") && typeof a.date === "string") {
      const other = planned.name === "search_direct_flight" ? "search_onestop_flight" : "search_direct_flight";
      candidates.push({ name: other, arguments: { ...a } });
      for (const shift of [1, -1, 2, -2, 3, -3]) {
        const day = Number(a.date.slice(8, 10)) + shift;
        if (day < 1 || day > 30) continue;
        const date = `${a.date.slice(0, 8)}${String(day).padStart(2, "0")}`;
        candidates.push({ name: planned.name, arguments: { ...a, date } }, { name: other, arguments: { ...a, date } });
      }
    }
    for (const id of this.user()?.reservations ?? []) candidates.push(rAction(id));
    const open = candidates.filter(fresh);
    return open.length ? this.remember(open[this.rng.int(0, open.length - 1)], planned) : null;
  }
  private readonly detours = new Set<string>();
  private readonly detourCount = new Map<string, number>();
  private detoursBefore(planned: ToolAction): number {
    return this.detourCount.get(key(planned)) ?? 0;
  }
  private remember(a: ToolAction, planned: ToolAction): ToolAction {
    this.detours.add(key(a));
    this.detourCount.set(key(planned), this.detoursBefore(planned) + 1);
    return a;
  }

  private user(): UserLike | undefined {
    return this.userId ? this.users.get(this.userId) : undefined;
  }

  /** The reservation a job refers to: by id, or the scan's match among what it has read. */
  private resolveReservation(job: Job): { res?: ResLike; read?: ToolAction } {
    const ref = job.req.reservation!;
    if (ref.by === "id") {
      const a = rAction(ref.id);
      if (!this.known(a)) return { read: a };
      return { res: this.reservations.get(ref.id) };
    }
    const u0 = this.essential([uAction(this.userId!)]);
    if (u0) return { read: u0 };
    const u = this.user();
    if (!u) return {};
    const ev = this.evidence(job, u.reservations.map(rAction));
    if (ev) return { read: ev };
    if (job.scanPick) return { res: this.reservations.get(job.scanPick) };
    const seen = u.reservations.map((id) => this.reservations.get(id)).filter((r): r is ResLike => !!r);
    const m = findByRef(ref, seen);
    // With part of the scan skipped it may match nothing: a careless agent then takes a guess.
    const pick = m[0] ?? (seen.length ? seen[this.rng.int(0, seen.length - 1)] : undefined);
    job.scanPick = pick?.reservation_id ?? null;
    return { res: pick };
  }

  private searchList(origins: string[], destinations: string[], dates: string[], search: string | undefined): ToolAction[] {
    const out: ToolAction[] = [];
    for (const o of origins)
      for (const d of destinations)
        for (const t of dates) {
          out.push({ name: "search_direct_flight", arguments: { origin: o, destination: d, date: t } });
          if (search === "any") out.push({ name: "search_onestop_flight", arguments: { origin: o, destination: d, date: t } });
        }
    return out;
  }

  private nextRead(job: Job): ToolAction | null {
    const r = job.req;
    const uid = this.userId!;
    switch (r.type) {
      case "explicit":
        return null;
      case "book": {
        const u = this.essential([uAction(uid)]);
        if (u) return u;
        const out = this.searchList(r.origins!, r.destinations!, r.dates!, r.search);
        const back = r.trip === "round_trip" ? this.searchList(r.destinations!, r.origins!, r.return_dates ?? [], r.return_search) : [];
        return this.evidence(job, [...out, ...back]);
      }
      default: {
        const { res, read } = this.resolveReservation(job);
        if (read) return read;
        if (!res) return null;
        if (r.type === "cancel" || r.type === "change_passenger") return null;
        if (r.type === "change_flights" && !changeFlightsAllowed(res).ok && !job.ignorePolicy) return null;
        const u = this.essential([uAction(uid)]);
        if (u) return u;
        if (r.type === "change_flights") return this.evidence(job, this.searchList([res.origin], [res.destination], r.dates!, r.search));
        if (r.type === "change_cabin") {
          const segs = res.flights.map((f) => ({ name: "search_direct_flight", arguments: { origin: f.origin, destination: f.destination, date: f.date } }));
          return this.essential(segs);
        }
        if (r.type === "compensation") {
          if (!compensationAllowed(res, this.user()!).ok && !job.ignorePolicy) return null;
          return this.evidence(job, res.flights.map((f) => ({ name: "get_flight_status", arguments: { flight_number: f.flight_number, date: f.date } })));
        }
        return null;
      }
    }
  }

  // ---- decisions --------------------------------------------------------------------------
  private candidates(list: readonly ToolAction[]): Itinerary[] {
    const out: Itinerary[] = [];
    for (const a of list) out.push(...(this.searches.get(key(a)) ?? []));
    return out;
  }

  private decide(job: Job): Proposal {
    const r = job.req;
    const u = this.user();
    switch (r.type) {
      case "explicit":
        return { kind: "write", action: r.exact as ToolAction, summary: `${r.exact!.name} with ${JSON.stringify(r.exact!.arguments)}` };
      case "book": {
        if (!u) return { kind: "none" };
        const pax = r.passengers!.map((p) => ("self" in p ? { first_name: u.name.first_name, last_name: u.name.last_name, dob: u.dob } : p));
        const cabin = r.cabin!;
        const legs = [this.searchList(r.origins!, r.destinations!, r.dates!, r.search)];
        if (r.trip === "round_trip") legs.push(this.searchList(r.destinations!, r.origins!, r.return_dates ?? [], r.return_search));
        const picks: Itinerary[] = [];
        for (const l of legs) {
          const ranked = rankItineraries(this.candidates(l), r.criterion!, cabin, pax.length);
          if (!ranked.length) return { kind: "none" };
          picks.push(ranked[0].it);
        }
        const nonfree = nonfreeBags(r.bags!, u.membership, cabin, pax.length);
        const total = bookingTotal(picks, cabin, pax.length, r.insurance!, nonfree);
        const pay = resolvePayment(u, r.payment!, total);
        if (!pay) return { kind: "refuse", what: "use that payment method", why: "I could not find a matching one in your profile" };
        const flights = picks.flatMap((it) => it.map((l: Leg) => ({ flight_number: l.flight_number, date: l.date })));
        return {
          kind: "write",
          action: {
            name: "book_reservation",
            arguments: {
              user_id: u.user_id,
              origin: picks[0][0].origin,
              destination: picks[0][picks[0].length - 1].destination,
              flight_type: r.trip ?? "one_way",
              cabin,
              flights,
              passengers: pax,
              payment_methods: [{ payment_id: pay, amount: total }],
              total_baggages: r.bags!,
              nonfree_baggages: nonfree,
              insurance: r.insurance!,
            },
          },
          summary: `book ${flights.map((f) => `${f.flight_number} on ${f.date}`).join(", ")} in ${cabin.replace("_", " ")} for ${pax.length} passenger(s), ${r.bags} bag(s), insurance ${r.insurance}, total ${formatAmount(total)} charged to ${pay}`,
          result: `your reservation is booked. The total price is ${formatAmount(total)}.`,
        };
      }
    }
    const { res } = this.resolveReservation(job);
    if (!res) return { kind: "refuse", what: "find that reservation", why: "it is not in your profile" };
    const id = res.reservation_id;
    switch (r.type) {
      case "cancel": {
        const ok = cancelAllowed(res, r.reason!);
        if (!ok.ok && !job.ignorePolicy) return { kind: "refuse", what: `cancel reservation ${id}`, why: ok.why };
        return {
          kind: "write",
          action: { name: "cancel_reservation", arguments: { reservation_id: id } },
          summary: `cancel reservation ${id}; the refund goes to the original payment methods`,
          result: `reservation ${id} is cancelled.`,
        };
      }
      case "change_passenger": {
        const c = r.passenger_change!;
        const i = res.passengers.findIndex((p) => p.first_name === c.old.first_name && p.last_name === c.old.last_name);
        if (i < 0) return { kind: "refuse", what: "change that passenger", why: "there is no such passenger on the reservation" };
        const passengers = res.passengers.map((p, j) => (j === i ? { ...c.new } : { first_name: p.first_name, last_name: p.last_name, dob: p.dob }));
        return {
          kind: "write",
          action: { name: "update_reservation_passengers", arguments: { reservation_id: id, passengers } },
          summary: `on reservation ${id}, replace ${c.old.first_name} ${c.old.last_name} with ${c.new.first_name} ${c.new.last_name} (born ${c.new.dob})`,
          result: `the passenger on reservation ${id} is updated.`,
        };
      }
    }
    if (!u) return { kind: "none" };
    switch (r.type) {
      case "change_flights": {
        const ok = changeFlightsAllowed(res);
        if (!ok.ok && !job.ignorePolicy) return { kind: "refuse", what: `change the flights of reservation ${id}`, why: ok.why };
        const ranked = rankItineraries(this.candidates(this.searchList([res.origin], [res.destination], r.dates!, r.search)), r.criterion!, res.cabin, res.passengers.length);
        if (!ranked.length) return { kind: "none" };
        const pay = resolvePayment(u, r.payment!, 0);
        if (!pay) return { kind: "refuse", what: "use that payment method", why: "I could not find a matching one in your profile" };
        const flights = ranked[0].it.map((l) => ({ flight_number: l.flight_number, date: l.date }));
        return {
          kind: "write",
          action: { name: "update_reservation_flights", arguments: { reservation_id: id, cabin: res.cabin, flights, payment_id: pay } },
          summary: `change reservation ${id} to ${flights.map((f) => `${f.flight_number} on ${f.date}`).join(", ")}, difference charged to ${pay}`,
          result: `reservation ${id} now has the new flights.`,
        };
      }
      case "change_cabin": {
        if (!allFuture(res) && !job.ignorePolicy) return { kind: "refuse", what: `change the cabin of reservation ${id}`, why: "part of the trip has already been flown" };
        const cabin = r.cabin as Cabin;
        let diff = 0;
        for (const f of res.flights) {
          const a = { name: "search_direct_flight", arguments: { origin: f.origin, destination: f.destination, date: f.date } };
          const leg = (this.searches.get(key(a)) ?? []).find((it) => it[0].flight_number === f.flight_number)?.[0];
          if (!leg || leg.seats[cabin] < res.passengers.length) return { kind: "none" };
          diff += (leg.prices[cabin] - f.price) * res.passengers.length;
        }
        const pay = resolvePayment(u, r.payment!, Math.max(0, diff));
        if (!pay) return { kind: "refuse", what: "use that payment method", why: "I could not find a matching one in your profile" };
        return {
          kind: "write",
          action: {
            name: "update_reservation_flights",
            arguments: { reservation_id: id, cabin, flights: res.flights.map((f) => ({ flight_number: f.flight_number, date: f.date })), payment_id: pay },
          },
          summary: `change the cabin of reservation ${id} to ${cabin.replace("_", " ")}; price difference ${formatAmount(Math.abs(diff))} (${diff >= 0 ? "charged to" : "refunded to"} ${pay})`,
          result: `reservation ${id} is now in ${cabin.replace("_", " ")}. The price difference is ${formatAmount(Math.abs(diff))}.`,
        };
      }
      case "add_bags": {
        const total = res.total_baggages + r.add_bags!;
        const nonfree = nonfreeBags(total, u.membership, res.cabin, res.passengers.length);
        const fee = 50 * Math.max(0, nonfree - res.nonfree_baggages);
        const pay = resolvePayment(u, r.payment!, fee);
        if (!pay) return { kind: "refuse", what: "use that payment method", why: "I could not find a matching one in your profile" };
        return {
          kind: "write",
          action: { name: "update_reservation_baggages", arguments: { reservation_id: id, total_baggages: total, nonfree_baggages: nonfree, payment_id: pay } },
          summary: `set reservation ${id} to ${total} checked bags (${nonfree} paid), fee ${formatAmount(fee)} charged to ${pay}`,
          result: `reservation ${id} now has ${total} checked bags. The fee is ${formatAmount(fee)}.`,
        };
      }
      case "compensation": {
        const ok = compensationAllowed(res, u);
        if (!ok.ok && !job.ignorePolicy) return { kind: "refuse", what: "offer compensation", why: ok.why };
        const known = res.flights.map((f) => this.statuses.get(`${f.flight_number}@${f.date}`)).filter((s): s is string => s !== undefined);
        if (known.length === res.flights.length && !known.includes("cancelled") && !job.ignorePolicy) {
          return { kind: "refuse", what: "offer compensation", why: "none of the flights in that reservation was cancelled" };
        }
        const amount = 100 * res.passengers.length;
        return {
          kind: "write",
          action: { name: "send_certificate", arguments: { user_id: u.user_id, amount } },
          summary: `send you a travel certificate of ${formatAmount(amount)} for the cancelled flight`,
          result: `a certificate of ${formatAmount(amount)} has been added to your profile.`,
        };
      }
    }
    return { kind: "none" };
  }

  private resultText(job: Job): string {
    const prop = this.describeDone(job);
    if (!job.forgetAmount) return prop;
    return prop.replace(/ The (total price|price difference|fee) is [\d.]+\.$/, "").replace(/ of [\d.]+ has been/, " has been");
  }
  private describeDone(job: Job): string {
    const w = job.lastWrite!;
    const a = w.arguments;
    switch (w.name) {
      case "book_reservation": {
        const pm = (a.payment_methods as { amount: number }[] | undefined) ?? [];
        return `your reservation is booked. The total price is ${formatAmount(pm.reduce((s, p) => s + Number(p.amount), 0))}.`;
      }
      case "send_certificate":
        return `a certificate of ${formatAmount(Number(a.amount))} has been added to your profile.`;
      case "cancel_reservation":
        return `reservation ${String(a.reservation_id)} is cancelled.`;
      default:
        return job.resultLine ?? `reservation ${String(a.reservation_id)} is updated.`;
    }
  }

  private corrupt(a: ToolAction): ToolAction {
    const args = structuredClone(a.arguments) as Record<string, unknown>;
    const rng = this.rng;
    switch (a.name) {
      case "book_reservation": {
        const pick = rng.int(0, 2);
        if (pick === 0) {
          const pm = args.payment_methods as { payment_id: string; amount: number }[];
          pm[0].amount += 50;
        } else if (pick === 1) args.nonfree_baggages = Number(args.total_baggages);
        else {
          const pax = args.passengers as { dob: string }[];
          pax[pax.length - 1].dob = "1990-01-01";
        }
        break;
      }
      case "update_reservation_flights":
        if (rng.chance(0.5)) args.cabin = args.cabin === "economy" ? "business" : "economy";
        else args.payment_id = "credit_card_0000000";
        break;
      case "update_reservation_baggages":
        if (rng.chance(0.5)) args.nonfree_baggages = Number(args.total_baggages);
        else args.total_baggages = Number(args.total_baggages) + 1;
        break;
      case "update_reservation_passengers": {
        const pax = args.passengers as { dob: string }[];
        pax[0] = { ...pax[0], dob: "1980-01-01" };
        break;
      }
      case "send_certificate":
        args.amount = Number(args.amount) / 2;
        break;
      case "cancel_reservation": {
        const others = [...this.reservations.keys()].filter((id) => id !== args.reservation_id);
        args.reservation_id = others.length ? rng.pick(others) : "ZZZZZZ";
        break;
      }
      default: {
        const keys = Object.keys(args);
        if (keys.length) delete args[keys[rng.int(0, keys.length - 1)]];
      }
    }
    return { name: a.name, arguments: args };
  }
}

/** Whether a successful write changed what get_user_details returns (so the cached copy is stale). */
function changesUserRecord(call: ToolAction): boolean {
  if (call.name === "book_reservation" || call.name === "cancel_reservation" || call.name === "send_certificate") return true;
  // Other writes only debit a stored balance when they pay with a gift card or certificate.
  const id = call.arguments.payment_id;
  return typeof id === "string" && !id.startsWith("credit_card");
}

/**
 * A first write attempt with one detail the system rejects (a payment amount that does not
 * add up, a payment id that is not on file, one passenger too few, a mistyped user id): the
 * other arguments are right, so the call is a partial (soft) match of the gold write, and the
 * tool's error tells the agent what to fix. Careful agents make these slips too. Null when
 * the write has no such detail (cancel_reservation's only argument is the id).
 */
function slipArgs(a: ToolAction, rng: Rng): ToolAction | null {
  const args = structuredClone(a.arguments) as Record<string, unknown>;
  switch (a.name) {
    case "book_reservation": {
      const pm = args.payment_methods as { amount: number }[];
      pm[0].amount += rng.pick([10, 50, 100]);
      break;
    }
    case "update_reservation_flights":
    case "update_reservation_baggages":
      args.payment_id = `${String(args.payment_id).replace(/_\d+$/, "")}_${rng.int(1000000, 9999999)}`;
      break;
    case "update_reservation_passengers": {
      const pax = args.passengers as unknown[];
      if (pax.length > 1) pax.pop();
      else pax.push(pax[0]);
      break;
    }
    case "send_certificate":
      args.user_id = `${String(args.user_id)}x`;
      break;
    default:
      return null;
  }
  return { name: a.name, arguments: args };
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
