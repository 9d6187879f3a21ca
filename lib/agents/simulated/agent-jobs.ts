/**
 * The simulated agent's work items: one job per request the user made (with the mistakes
 * drawn for it and how far it got), what the agent proposes to do about it, and the typed
 * view of a request once the user has given every fact it needs.
 */
import type { FactKey, Request, ToolAction } from "../../synthesis/spec";
import type { AssistantMessage, ToolCall } from "../../types/messages";
import { requiredKeys } from "./user-language";

export type Status = "open" | "done" | "refused";

export interface Job {
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
  /** The first write attempt gets a detail wrong that the system rejects (see slipArgs in agent-mistakes.ts). */
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

export function newJob(req: Request): Job {
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

/** A job whose write went through: it has the write to report. */
export type WrittenJob = Job & { lastWrite: ToolAction };

export type Proposal =
  | { kind: "write"; action: ToolAction; summary?: string; result?: string }
  | { kind: "refuse"; what: string; why: string }
  | { kind: "none" };

/** An assistant message making exactly one tool call (every call the agent makes is one). */
export type CallMessage = AssistantMessage & { tool_calls: [ToolCall] };

/** A request with the facts `K` given. */
type Given<T extends Request["type"], K extends keyof Request> = Request & { type: T } & { [P in K]-?: NonNullable<Request[P]> };

/** A request with every fact of requiredKeys(type) given: what the agent can act on. */
export type ReadyRequest =
  | Given<"book", "origins" | "destinations" | "dates" | "search" | "criterion" | "cabin" | "passengers" | "bags" | "insurance" | "payment">
  | Given<"cancel", "reservation" | "reason">
  | Given<"change_flights", "reservation" | "dates" | "search" | "criterion" | "payment">
  | Given<"change_cabin", "reservation" | "cabin" | "payment">
  | Given<"add_bags", "reservation" | "add_bags" | "payment">
  | Given<"change_passenger", "reservation" | "passenger_change">
  | Given<"compensation", "reservation">
  | Given<"explicit", "exact">;

/** A ready request about an existing reservation (every type but booking and explicit). */
export type ReservationRequest = Exclude<ReadyRequest, { type: "book" } | { type: "explicit" }>;

/** The request, ready to act on, or the first fact (in asking order) the user has not given. */
export function readiness(req: Request): { ready: true; req: ReadyRequest } | { ready: false; missing: FactKey } {
  const missing = requiredKeys(req).find((k) => req[k] === undefined);
  if (missing !== undefined) return { ready: false, missing };
  // requiredKeys(req.type) lists exactly the facts ReadyRequest makes non-optional for that type.
  return { ready: true, req: req as ReadyRequest };
}
