/**
 * Argument handling for tool calls, mirroring what Python does when τ² calls a tool
 * method with the model's keyword arguments: unknown / missing keyword errors worded like
 * Python's, and pydantic-style validation of the nested objects (FlightInfo, Passenger,
 * Payment) that τ² builds from dicts. Top-level types are checked here too (τ² does not
 * check them; Python would fail later with a less helpful message, or store the value).
 */
import { CABINS, type Cabin, type Passenger, type Payment } from "./schema";
import { formatValidationError, type FieldError } from "./pydantic-errors";

/**
 * A tool's own failure; its message becomes the tool result ("Error: …"). Bad calls are
 * routine (simulated agents make them on purpose, the evaluator and policy checker replay
 * them), and the stack is never shown, so it is not captured: that was most of the cost.
 */
export class ToolError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

export function checkKeywordArgs(tool: string, params: readonly string[], args: Record<string, unknown>): void {
  for (const k of Object.keys(args)) {
    if (!params.includes(k)) throw new ToolError(`AirlineTools.${tool}() got an unexpected keyword argument '${k}'`);
  }
  const missing = params.filter((p) => !Object.prototype.hasOwnProperty.call(args, p));
  if (missing.length > 0) {
    const quoted = missing.map((m) => `'${m}'`);
    const list =
      quoted.length === 1
        ? quoted[0]
        : quoted.length === 2
          ? `${quoted[0]} and ${quoted[1]}`
          : `${quoted.slice(0, -1).join(", ")}, and ${quoted[quoted.length - 1]}`;
    throw new ToolError(
      `AirlineTools.${tool}() missing ${missing.length} required positional argument${missing.length > 1 ? "s" : ""}: ${list}`,
    );
  }
}

export function argString(args: Record<string, unknown>, name: string): string {
  const v = args[name];
  if (typeof v !== "string") throw new ToolError(`argument '${name}' must be a string, got ${describe(v)}`);
  return v;
}

/** A whole number (ints, floats with no fraction and numeric strings pass, as in pydantic's lax int). */
export function argInt(args: Record<string, unknown>, name: string, model = ""): number {
  const n = laxInt(args[name]);
  if (n === undefined) {
    throw new ToolError(
      model ? validationError(model, name, "Input should be a valid integer") : `argument '${name}' must be an integer, got ${describe(args[name])}`,
    );
  }
  return n;
}

export function argNumber(args: Record<string, unknown>, name: string): number {
  const v = args[name];
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  throw new ToolError(`argument '${name}' must be a number, got ${describe(v)}`);
}

export function argEnum<T extends string>(args: Record<string, unknown>, name: string, values: readonly T[], model: string): T {
  const v = args[name];
  if (typeof v === "string" && (values as readonly string[]).includes(v)) return v as T;
  const options = values.map((x) => `'${x}'`);
  const expected = options.length === 2 ? `${options[0]} or ${options[1]}` : `${options.slice(0, -1).join(", ")} or ${options[options.length - 1]}`;
  throw new ToolError(validationError(model, name, `Input should be ${expected}`));
}

export function argCabin(args: Record<string, unknown>, name: string, model: string): Cabin {
  return argEnum(args, name, CABINS, model);
}

export function argArray(args: Record<string, unknown>, name: string): unknown[] {
  const v = args[name];
  if (!Array.isArray(v)) throw new ToolError(`argument '${name}' must be an array, got ${describe(v)}`);
  return v;
}

function laxInt(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "string" ? `string ${JSON.stringify(v)}` : typeof v;
}

function validationError(model: string, field: string, msg: string, count = 1): string {
  return `${count} validation error for ${model}\n${field}\n  ${msg}`;
}

function asObject(item: unknown, model: string, what: string): Record<string, unknown> {
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    // τ² only converts when every item is a dict; anything else fails on attribute access.
    throw new ToolError(`'${pyTypeName(item)}' object has no attribute '${what}'`);
  }
  void model;
  return item as Record<string, unknown>;
}

function pyTypeName(v: unknown): string {
  if (v === null) return "NoneType";
  if (Array.isArray(v)) return "list";
  if (typeof v === "string") return "str";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "boolean") return "bool";
  return "object";
}

type FieldKind = "str" | "int";

/** One field of a τ² model built from a dict: its value, or pydantic's error for it. */
function checkField(obj: Record<string, unknown>, field: string, kind: FieldKind): { value: string | number } | { error: FieldError } {
  if (!Object.prototype.hasOwnProperty.call(obj, field)) return { error: { loc: field, type: "missing", msg: "Field required", input: obj } };
  const v = obj[field];
  if (kind === "str") {
    return typeof v === "string" ? { value: v } : { error: { loc: field, type: "string_type", msg: "Input should be a valid string", input: v } };
  }
  if (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v)) {
    return { error: { loc: field, type: "int_from_float", msg: "Input should be a valid integer, got a number with a fractional part", input: v } };
  }
  const n = laxInt(v);
  if (n !== undefined) return { value: n };
  if (typeof v === "string") return { error: { loc: field, type: "int_parsing", msg: "Input should be a valid integer, unable to parse string as an integer", input: v } };
  return { error: { loc: field, type: "int_type", msg: "Input should be a valid integer", input: v } };
}

/**
 * `Model(**obj)` as pydantic does it: every field is checked and all failures are reported
 * together, in the model's field order (τ²'s data_model.py), in pydantic's own wording.
 */
function buildModel(obj: Record<string, unknown>, model: string, fields: readonly (readonly [string, FieldKind])[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const errors: FieldError[] = [];
  for (const [field, kind] of fields) {
    const r = checkField(obj, field, kind);
    if ("error" in r) errors.push(r.error);
    else out[field] = r.value;
  }
  if (errors.length) throw new ToolError(formatValidationError(model, errors));
  return out;
}

const FLIGHT_INFO_FIELDS = [["flight_number", "str"], ["date", "str"]] as const;
const PASSENGER_FIELDS = [["first_name", "str"], ["last_name", "str"], ["dob", "str"]] as const;
const PAYMENT_FIELDS = [["payment_id", "str"], ["amount", "int"]] as const;

export function toFlightInfos(items: unknown[]): { flight_number: string; date: string }[] {
  return items.map((it) => {
    const o = buildModel(asObject(it, "FlightInfo", "flight_number"), "FlightInfo", FLIGHT_INFO_FIELDS);
    return { flight_number: o.flight_number as string, date: o.date as string };
  });
}

export function toPassengers(items: unknown[]): Passenger[] {
  return items.map((it) => {
    const o = buildModel(asObject(it, "Passenger", "first_name"), "Passenger", PASSENGER_FIELDS);
    return { first_name: o.first_name as string, last_name: o.last_name as string, dob: o.dob as string };
  });
}

/** Payment.amount is an int in τ²: 100.0 and "100" pass, 100.5 fails. */
export function toPayments(items: unknown[]): Payment[] {
  return items.map((it) => {
    const o = buildModel(asObject(it, "Payment", "payment_id"), "Payment", PAYMENT_FIELDS);
    return { payment_id: o.payment_id as string, amount: o.amount as number };
  });
}
