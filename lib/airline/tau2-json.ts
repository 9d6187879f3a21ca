/**
 * Tool output text exactly as τ²-bench writes it into a trajectory.
 *
 * τ²'s environment returns `json.dumps(result)` of the tool's pydantic return value (strings
 * unchanged): Python's default separators (", " and ": "), ensure_ascii (every non-ASCII
 * character as a lowercase \uXXXX escape, astral characters as surrogate pairs), and floats
 * printed with a fractional part (100.0). JSON.stringify agrees on none of the three, so the
 * project's own tool messages (compact JSON) differ from recorded τ² outputs in form though
 * not in content. This module renders a tool's return value in τ²'s form, so recorded outputs
 * can be compared byte for byte.
 *
 * JSON has no int/float distinction once parsed, so the float fields come from τ²'s airline
 * data model: `amount` of a gift card or certificate payment method (every other number is
 * an int there: prices, seats, bags, payment_history amounts). Field order is pydantic's
 * (MODEL_ORDERS below).
 */

/** Python's repr of a float: JS's shortest round-trip digits, with ".0" for whole numbers. */
export function pythonFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : n < 0 ? "-Infinity" : "NaN";
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return n.toFixed(1);
  // Shortest round-trip digits agree with Python for the values tools return (prices, money).
  return String(n);
}

/** json.dumps of a string with ensure_ascii=True. */
export function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20 || c > 0x7e) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

const FLOAT_AMOUNT_SOURCES = new Set(["gift_card", "certificate"]);

/**
 * pydantic's model_dump writes fields in the model's declaration order, not the db's key
 * order, and includes unset optionals as null. Models are recognised by a key only they
 * have (τ²'s airline data_model.py).
 */
const MODEL_ORDERS: { marker: (o: Record<string, unknown>) => boolean; order: readonly string[]; nullDefaults?: readonly string[] }[] = [
  { marker: (o) => "reservation_id" in o && "payment_history" in o, order: ["reservation_id", "user_id", "origin", "destination", "flight_type", "cabin", "flights", "passengers", "payment_history", "created_at", "total_baggages", "nonfree_baggages", "insurance", "status"] },
  { marker: (o) => "user_id" in o && "payment_methods" in o, order: ["user_id", "name", "address", "email", "dob", "payment_methods", "saved_passengers", "membership", "reservations"] },
  { marker: (o) => "flight_number" in o && "price" in o, order: ["flight_number", "origin", "destination", "date", "price"] },
  {
    marker: (o) => "flight_number" in o && "available_seats" in o,
    order: ["flight_number", "origin", "destination", "status", "scheduled_departure_time_est", "scheduled_arrival_time_est", "date", "available_seats", "prices"],
    nullDefaults: ["date"],
  },
];

function inModelOrder(obj: Record<string, unknown>): [string, unknown][] {
  const model = MODEL_ORDERS.find((m) => m.marker(obj));
  if (!model) return Object.entries(obj);
  const out: [string, unknown][] = [];
  for (const k of model.order) {
    if (k in obj) out.push([k, obj[k]]);
    else if (model.nullDefaults?.includes(k)) out.push([k, null]);
  }
  for (const [k, v] of Object.entries(obj)) if (!model.order.includes(k)) out.push([k, v]);
  return out;
}

/** Python json.dumps(value) with τ²'s airline float fields. */
export function pythonJson(value: unknown, floatField = false): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return floatField ? pythonFloat(value) : Number.isInteger(value) ? String(value) : pythonFloat(value);
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) return "[" + value.map((v) => pythonJson(v)).join(", ") + "]";
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const floatAmount = typeof obj.source === "string" && FLOAT_AMOUNT_SOURCES.has(obj.source);
    const parts: string[] = [];
    for (const [k, v] of inModelOrder(obj)) {
      if (v === undefined) continue;
      parts.push(pythonString(k) + ": " + pythonJson(v, floatAmount && k === "amount"));
    }
    return "{" + parts.join(", ") + "}";
  }
  return pythonString(String(value));
}

/**
 * The text τ² records for a successful call of `name` that returned `value` (the project
 * environment's ToolResult.value). Error texts are the same in both and are not passed here.
 */
export function tau2ToolText(name: string, value: unknown, args?: Record<string, unknown>): string {
  void name;
  void args;
  // Strings (calculate, send_certificate, transfer, flight status) are recorded unchanged.
  if (typeof value === "string") return value;
  return pythonJson(value);
}
