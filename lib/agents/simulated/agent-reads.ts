/**
 * Which read the simulated agent makes next for a job: the essential lookups (the user's
 * profile, the reservation), the evidence it gathers before deciding (flight searches,
 * a scan of the user's reservations, flight statuses), with the skip / stop-early /
 * wander mistakes its knobs draw, and how it resolves the reservation a request means.
 */
import type { Rng } from "../../random/prng";
import { changeFlightsAllowed, compensationAllowed, findByRef, type ResLike } from "../../synthesis/rules";
import type { ReservationRef, ToolAction } from "../../synthesis/spec";
import type { AgentKnowledge } from "./agent-knowledge";
import { key, rAction, uAction } from "./agent-knowledge";
import type { Job, ReadyRequest } from "./agent-jobs";
import type { AgentKnobs } from "./presets";

export function searchList(origins: readonly string[], destinations: readonly string[], dates: readonly string[], search: string | undefined): ToolAction[] {
  const out: ToolAction[] = [];
  for (const o of origins)
    for (const d of destinations)
      for (const t of dates) {
        out.push({ name: "search_direct_flight", arguments: { origin: o, destination: d, date: t } });
        if (search === "any") out.push({ name: "search_onestop_flight", arguments: { origin: o, destination: d, date: t } });
      }
  return out;
}

/** The agent asks for the user id before it works on any request but an explicit one. */
export function knownUserId(k: AgentKnowledge): string {
  if (!k.userId) throw new Error("simulated agent: a request was worked on before the user id was known");
  return k.userId;
}

export class ReadPlanner {
  private readonly detours = new Set<string>();
  private readonly detourCount = new Map<string, number>();

  constructor(
    private readonly k: AgentKnowledge,
    private readonly rng: Rng,
    private readonly knobs: AgentKnobs,
  ) {}

  /** Next essential read not yet known, or null. */
  essential(list: readonly ToolAction[]): ToolAction | null {
    for (const a of list) if (!this.k.known(a)) return a;
    return null;
  }

  /** Next evidence read after the skip / stop-early draws, or null when done gathering. */
  evidence(job: Job, list: readonly ToolAction[]): ToolAction | null {
    if (job.stopped) return null;
    const todo = list.filter((a) => !this.k.known(a) && !job.skipped.has(key(a)));
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
  detour(planned: ToolAction): ToolAction | null {
    const a = planned.arguments;
    const fresh = (c: ToolAction) => !this.k.known(c) && !this.detours.has(key(c)) && key(c) !== key(planned);
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
    for (const id of this.k.user()?.reservations ?? []) candidates.push(rAction(id));
    const open = candidates.filter(fresh);
    return open.length ? this.remember(open[this.rng.int(0, open.length - 1)], planned) : null;
  }
  detoursBefore(planned: ToolAction): number {
    return this.detourCount.get(key(planned)) ?? 0;
  }
  private remember(a: ToolAction, planned: ToolAction): ToolAction {
    this.detours.add(key(a));
    this.detourCount.set(key(planned), this.detoursBefore(planned) + 1);
    return a;
  }

  /** The reservation a job refers to: by id, or the scan's match among what it has read. */
  resolveReservation(job: Job, ref: ReservationRef): { res?: ResLike; read?: ToolAction } {
    if (ref.by === "id") {
      const a = rAction(ref.id);
      if (!this.k.known(a)) return { read: a };
      return { res: this.k.reservations.get(ref.id) };
    }
    const u0 = this.essential([uAction(knownUserId(this.k))]);
    if (u0) return { read: u0 };
    const u = this.k.user();
    if (!u) return {};
    const ev = this.evidence(job, u.reservations.map(rAction));
    if (ev) return { read: ev };
    if (job.scanPick) return { res: this.k.reservations.get(job.scanPick) };
    const seen = u.reservations.map((id) => this.k.reservations.get(id)).filter((r): r is ResLike => !!r);
    const m = findByRef(ref, seen);
    // With part of the scan skipped it may match nothing: a careless agent then takes a guess.
    const pick = m[0] ?? (seen.length ? seen[this.rng.int(0, seen.length - 1)] : undefined);
    job.scanPick = pick?.reservation_id ?? null;
    return { res: pick };
  }

  /** The next planned read for a job whose request is ready, or null when it can decide. */
  nextRead(job: Job, r: ReadyRequest): ToolAction | null {
    if (r.type === "explicit") return null;
    const uid = knownUserId(this.k);
    if (r.type === "book") {
      const u = this.essential([uAction(uid)]);
      if (u) return u;
      const out = searchList(r.origins, r.destinations, r.dates, r.search);
      const back = r.trip === "round_trip" ? searchList(r.destinations, r.origins, r.return_dates ?? [], r.return_search) : [];
      return this.evidence(job, [...out, ...back]);
    }
    const { res, read } = this.resolveReservation(job, r.reservation);
    if (read) return read;
    if (!res) return null;
    if (r.type === "cancel" || r.type === "change_passenger") return null;
    if (r.type === "change_flights" && !changeFlightsAllowed(res).ok && !job.ignorePolicy) return null;
    const u = this.essential([uAction(uid)]);
    if (u) return u;
    if (r.type === "change_flights") return this.evidence(job, searchList([res.origin], [res.destination], r.dates, r.search));
    if (r.type === "change_cabin") {
      const segs = res.flights.map((f) => ({ name: "search_direct_flight", arguments: { origin: f.origin, destination: f.destination, date: f.date } }));
      return this.essential(segs);
    }
    if (r.type === "compensation") {
      const user = this.k.user();
      // The profile read above either answered or failed; a failed one leaves nothing to check against.
      if (!user) throw new Error("simulated agent: no user record to check compensation against");
      if (!compensationAllowed(res, user).ok && !job.ignorePolicy) return null;
      return this.evidence(job, res.flights.map((f) => ({ name: "get_flight_status", arguments: { flight_number: f.flight_number, date: f.date } })));
    }
    return null;
  }
}
