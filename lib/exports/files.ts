/**
 * Where export jobs put their files: `exports/` next to the database file (the data folder),
 * created 0700, files 0600 (an export holds every conversation). A file is named after its
 * job, so the download route finds it from the job id alone and no caller-given path is used.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Db } from "../../db/client";
import { PayloadError } from "../jobs/errors";
import { databaseFileOf } from "./store";

const FILE_NAME = /^export-\d+-[A-Za-z0-9._-]+$/;

export function exportsDir(db: Db): string {
  const dbFile = databaseFileOf(db);
  if (!dbFile || dbFile === ":memory:") throw new PayloadError("export files need a database file (WRIT_DB is :memory:)", undefined);
  return join(dirname(dbFile), "exports");
}

export function ensureExportsDir(db: Db): string {
  const dir = exportsDir(db);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function exportFileName(jobId: number, downloadName: string): string {
  return `export-${jobId}-${downloadName.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

/** The stored file of a finished export job, or null when the name is not one we write. */
export function exportFilePath(db: Db, fileName: string): string | null {
  return FILE_NAME.test(fileName) ? join(exportsDir(db), fileName) : null;
}
