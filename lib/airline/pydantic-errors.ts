/**
 * pydantic's ValidationError text, as τ² records it when a tool builds a model from a dict
 * the agent sent (`Payment(**payment_method)` in book_reservation; the environment returns
 * "Error: " + str(e)). Recorded τ² runs carry it verbatim, e.g.
 *
 *   2 validation errors for Payment
 *   payment_id
 *     Field required [type=missing, input_value={'type': 'certificate', '...: 'certificate_8045380'}, input_type=dict]
 *       For further information visit https://errors.pydantic.dev/2.12/v/missing
 *   amount
 *     …
 *
 * so the replay comparison (lib/rollouts/compare-tool-outputs.ts) can match it byte for byte.
 * Every failing field of one model is listed (pydantic validates the whole model), the input
 * is Python's repr truncated as pydantic-core does, and the URL names the pydantic version the
 * published runs used (2.12). Pure: no framework imports.
 */

/** pydantic's major.minor in the documentation URL of every error (the version τ² runs used). */
export const PYDANTIC_DOCS_VERSION = "2.12";

export interface FieldError {
  /** The field name (pydantic's `loc` for a model built from keyword arguments). */
  loc: string;
  /** pydantic's error type, e.g. "missing", "string_type", "int_from_float". */
  type: string;
  msg: string;
  /** The value pydantic reports: the whole dict for a missing field, else the field's value. */
  input: unknown;
}

/** Python's repr of a JSON value (dict/list/str/int/float/bool/None). */
export function pythonRepr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    // JSON 250.0 parses to the integer 250 here, so it prints as 250 (Python would print 250.0).
    return String(v);
  }
  if (typeof v === "string") return pythonStrRepr(v);
  if (Array.isArray(v)) return "[" + v.map(pythonRepr).join(", ") + "]";
  if (typeof v === "object") {
    return "{" + Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pythonStrRepr(k)}: ${pythonRepr(x)}`).join(", ") + "}";
  }
  return pythonStrRepr(String(v));
}

/** Python's str repr: single quotes unless the text has a single quote and no double quote. */
function pythonStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}

/** Python's type name of a JSON value (pydantic's input_type). */
export function pythonTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  return "dict";
}

/**
 * pydantic-core shortens an input repr longer than 50 bytes to its first 25 and last 24
 * bytes around "..." (on UTF-8 character boundaries).
 */
export function truncateInputRepr(repr: string): string {
  const bytes = new TextEncoder().encode(repr);
  if (bytes.length <= 50) return repr;
  let head = 25;
  while (head > 0 && (bytes[head] & 0xc0) === 0x80) head--;
  let tail = bytes.length - 24;
  while (tail < bytes.length && (bytes[tail] & 0xc0) === 0x80) tail++;
  const text = new TextDecoder();
  return text.decode(bytes.subarray(0, head)) + "..." + text.decode(bytes.subarray(tail));
}

/** str(ValidationError) for `title` with these errors (at least one), in field order. */
export function formatValidationError(title: string, errors: readonly FieldError[]): string {
  const head = `${errors.length} validation error${errors.length === 1 ? "" : "s"} for ${title}`;
  const lines = errors.map(
    (e) =>
      `${e.loc}\n  ${e.msg} [type=${e.type}, input_value=${truncateInputRepr(pythonRepr(e.input))}, input_type=${pythonTypeName(e.input)}]\n` +
      `    For further information visit https://errors.pydantic.dev/${PYDANTIC_DOCS_VERSION}/v/${e.type}`,
  );
  return [head, ...lines].join("\n");
}
