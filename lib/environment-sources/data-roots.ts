/**
 * Which server directories an API caller may register as a τ² environment: only those
 * under a root the operator configured (TAU2_DATA_DIR, WRIT_DATA_ROOTS). Without this an API
 * caller could point the loader at any directory the server can read. Paths are compared
 * after realpath, so a symlink inside a root that points outside it does not pass.
 * The CLI (the operator) loads any --domain-dir and does not come through here.
 */
import { realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, sep } from "node:path";
import { ValidationError } from "../errors/app-error";

/** The configured roots, in order; roots that do not exist are kept (they just match nothing). */
export function dataRoots(env: { TAU2_DATA_DIR?: string; WRIT_DATA_ROOTS?: readonly string[] }): string[] {
  return [...(env.TAU2_DATA_DIR ? [env.TAU2_DATA_DIR] : []), ...(env.WRIT_DATA_ROOTS ?? [])];
}

function realDir(path: string): string | undefined {
  try {
    const real = realpathSync(path);
    return statSync(real).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

function isInside(child: string, root: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The real path of `dir` when it is a directory under one of `roots`, else a 400 naming
 * domain_dir. One message for "missing" and "outside": the answer must not tell a caller
 * which paths exist on the server.
 */
export function allowedDomainDir(dir: string, roots: readonly string[]): string {
  const real = isAbsolute(dir) ? realDir(dir) : undefined;
  const realRoots = roots.map(realDir).filter((r): r is string => r !== undefined);
  if (real === undefined || !realRoots.some((root) => isInside(real, root))) {
    const configured = realRoots.length ? "" : " (none is configured on this server)";
    throw new ValidationError(
      `domain_dir must be an absolute path to a directory under TAU2_DATA_DIR or WRIT_DATA_ROOTS${configured}`,
      "domain_dir",
    );
  }
  return real;
}
