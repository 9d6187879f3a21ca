/**
 * One scoring request from its raw body text to the HTTP answer (status, headers, body text),
 * for the three routes: the native score endpoint and the OpenRLHF / slime shims. The same
 * function runs on the request thread or on the scoring thread (./thread.ts), so both paths
 * give byte-identical answers; errors become the one error mapping of lib/http/respond.ts.
 */
import type { Db } from "../../db/client";
import { errorToResponse } from "../http/respond";
import { ValidationError } from "../errors/app-error";
import { parseScalarChoice, scoreOpenRlhf, scoreSlime } from "./compat";
import { groupIngester } from "./ingest";
import { MAX_BODY_BYTES, PayloadTooLargeError, scoreRequest } from "./request";
import { resolveIteration } from "./resolve";

export type ServeOp = "score" | "openrlhf" | "slime";

export interface ServeInput {
  op: ServeOp;
  /** `{iteration}` of the URL. */
  iteration: string;
  /** The URL's query string (`?experiment=…`, `?reward=…`). */
  search: string;
  ifNoneMatch: string | null;
  text: string;
}

export interface ServeOutput {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

function positiveInt(value: string | null, field: string): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ValidationError(`${field} must be a positive integer`, field);
  return n;
}

function run(db: Db, input: ServeInput): ServeOutput {
  const query = new URLSearchParams(input.search);
  if (Buffer.byteLength(input.text) > MAX_BODY_BYTES) throw new PayloadTooLargeError(Buffer.byteLength(input.text));
  if (!input.text.trim()) throw new ValidationError("request body is empty", "body");
  const body: unknown = JSON.parse(input.text);
  if (input.op === "score") {
    const out = scoreRequest(db, input.iteration, body, { ifNoneMatch: input.ifNoneMatch, experimentId: positiveInt(query.get("experiment"), "experiment"), ingest: groupIngester() });
    const headers = { etag: out.etag, "cache-control": "private, max-age=0, must-revalidate" };
    if (out.status === 304) return { status: 304, headers, body: null };
    return { status: 200, headers: { ...headers, "content-type": "application/json" }, body: out.body ?? "" };
  }
  const choice = parseScalarChoice(query.get("reward"));
  const iteration = resolveIteration(db, input.iteration, positiveInt(query.get("experiment"), "experiment"));
  const answer = input.op === "openrlhf" ? scoreOpenRlhf(db, iteration, body, choice) : scoreSlime(db, iteration, body, choice);
  return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(answer) };
}

/** Never throws: a failure is the mapped error answer (a 4xx naming the field, or a 500). */
export async function serve(db: Db, input: ServeInput): Promise<ServeOutput> {
  try {
    return run(db, input);
  } catch (err) {
    const res = errorToResponse(err);
    return { status: res.status, headers: { "content-type": "application/json" }, body: await res.text() };
  }
}
