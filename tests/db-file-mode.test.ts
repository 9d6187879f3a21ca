/**
 * The database holds endpoints' API keys: a freshly created database file, its -wal and
 * -shm files are readable by the owner only (0600) and a folder the client creates is 0700,
 * whatever the umask would have given (typically 0644 / 0755).
 */
import { describe, expect, it } from "vitest";
import { statSync } from "node:fs";
import { join } from "node:path";
import { openDb } from "../db/client";
import { makeTempDir } from "./temp-dir";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("database file permissions", () => {
  it("a new database, its WAL and shared-memory files are 0600 in a 0700 folder", () => {
    const folder = join(makeTempDir("writ-db-mode-"), "data");
    const file = join(folder, "writ.db");
    const db = openDb(file);
    try {
      db.$client.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
      expect(mode(folder)).toBe(0o700);
      expect(mode(file)).toBe(0o600);
      expect(mode(`${file}-wal`)).toBe(0o600);
      expect(mode(`${file}-shm`)).toBe(0o600);
    } finally {
      db.$client.close();
    }
  });
});
