/**
 * Temp directories for tests that are removed again: inside a test, when that test finishes;
 * at file level (setup code), after the file's tests. Tests run every day; /tmp must not fill up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, onTestFinished } from "vitest";

const fileLevel: string[] = [];

afterAll(() => {
  for (const dir of fileLevel.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  } catch {
    // Not inside a test: the file's afterAll removes it.
    fileLevel.push(dir);
  }
  return dir;
}
