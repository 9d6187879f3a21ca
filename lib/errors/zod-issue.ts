/**
 * Which zod issue an HTTP 400 reports, and the field it names. A union that matches no
 * branch is one issue at the union's own path ("Invalid input", often the body root) with
 * the branches' issues nested inside; the useful one is the branch issue that got deepest
 * into the input (the branch that matched the most), so that is the one reported. Every
 * answer names a field: issues at the root name "body", unknown keys name the key.
 */
import type { ZodError } from "zod";

/** The parts of a zod v4 issue this module reads (unions nest branch issues in `errors`). */
interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: IssueLike[][];
  keys?: string[];
}

export interface ZodProblem {
  /** Full path from the parsed value's root. */
  path: PropertyKey[];
  /** The path joined with "." ("body" for the root). */
  field: string;
  message: string;
}

function problemOf(issue: IssueLike, prefix: PropertyKey[]): ZodProblem {
  let path = [...prefix, ...issue.path];
  if (issue.code === "unrecognized_keys" && issue.keys?.length) path = [...path, issue.keys[0]];
  return { path, field: path.length ? path.map(String).join(".") : "body", message: issue.message };
}

/** The issue itself, or for a failed union the deepest issue among its branches. */
function deepestProblem(issue: IssueLike, prefix: PropertyKey[]): ZodProblem {
  const own = problemOf(issue, prefix);
  if (issue.code !== "invalid_union" || !issue.errors?.length) return own;
  const base = [...prefix, ...issue.path];
  let best: ZodProblem | undefined;
  for (const branch of issue.errors) {
    for (const sub of branch) {
      const candidate = deepestProblem(sub, base);
      if (!best || candidate.path.length > best.path.length) best = candidate;
    }
  }
  // When no branch got past the union itself (e.g. a value matching none of several
  // literals), the union's own issue is the honest summary.
  return best && best.path.length > own.path.length ? best : own;
}

/** The problem a 400 reports for this error: the first issue, descending into unions. */
export function primaryZodProblem(err: ZodError): ZodProblem {
  const first = err.issues[0] as IssueLike | undefined;
  if (!first) return { path: [], field: "body", message: "invalid input" };
  return deepestProblem(first, []);
}
