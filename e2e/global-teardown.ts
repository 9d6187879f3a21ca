/** Remove the throwaway database folder playwright.config.ts created for this run. */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname } from "node:path";

export default function globalTeardown() {
  const db = process.env.E2E_DB;
  if (!db) return;
  const dir = dirname(db);
  // Only ever a folder we made under the temp dir.
  if (dirname(dir) === tmpdir() && basename(dir).startsWith("writ-e2e-")) rmSync(dir, { recursive: true, force: true });
}
