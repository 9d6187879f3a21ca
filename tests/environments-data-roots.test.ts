/**
 * POST /api/environments with a τ² domain_dir: only directories under TAU2_DATA_DIR or
 * WRIT_DATA_ROOTS (after realpath) are accepted, and a file that is not JSON is reported by
 * name and position, never quoted. The CLI, run by the operator, still loads any
 * --domain-dir. Uses the real τ² airline data in ../shared (read-only).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { resetDb } from "../db/server";
import { parseEnv, resetEnvCache } from "../lib/settings";
import { clearEnvironmentCache } from "../lib/environment-sources/resolve";
import * as environmentsRoute from "../app/api/environments/route";
import * as environmentRoute from "../app/api/environments/[id]/route";
import { makeTempDir } from "./temp-dir";

vi.mock("next/server", () => ({ connection: async () => {} }));

const run = promisify(execFile);
const writ = join(__dirname, "..", "bin", "writ.ts");
const TAU2 = resolve(__dirname, "..", "..", "shared", "tau2-airline");
const SECRETISH = "root:x:0:0:root:/root:/bin/bash";
const saved = { db: process.env.WRIT_DB, tau2: process.env.TAU2_DATA_DIR, roots: process.env.WRIT_DATA_ROOTS };
let root: string;
let outside: string;

function setEnv(vars: { TAU2_DATA_DIR?: string; WRIT_DATA_ROOTS?: string }) {
  for (const name of ["TAU2_DATA_DIR", "WRIT_DATA_ROOTS"] as const) {
    if (vars[name] === undefined) delete process.env[name];
    else process.env[name] = vars[name];
  }
  resetEnvCache();
}

/** A domain directory whose db.json is not JSON (a password file, say). */
function brokenDomain(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "db.json"), `${SECRETISH}\n`);
  writeFileSync(join(dir, "tasks.json"), "[]");
  writeFileSync(join(dir, "policy.md"), "policy");
  return dir;
}

async function create(domainDir: string, name?: string) {
  const res = await environmentsRoute.POST(
    new Request("http://x", { method: "POST", body: JSON.stringify({ source_kind: "tau2", domain_dir: domainDir, ...(name ? { name } : {}) }) }),
  );
  return { status: res.status, body: await res.json() };
}

beforeAll(() => {
  const base = makeTempDir("writ-data-roots-");
  root = join(base, "root");
  outside = join(base, "outside");
  mkdirSync(root);
  mkdirSync(outside);
  process.env.WRIT_DB = join(base, "writ.db");
  setEnv({});
  resetDb();
});
afterAll(() => {
  resetDb();
  process.env.WRIT_DB = saved.db;
  setEnv({ TAU2_DATA_DIR: saved.tau2, WRIT_DATA_ROOTS: saved.roots });
  clearEnvironmentCache();
});

describe("POST /api/environments {source_kind: tau2}", () => {
  it("refuses any directory when no root is configured, naming domain_dir", async () => {
    const res = await create(TAU2);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "invalid_request", field: "domain_dir" });
    expect(res.body.error.message).toMatch(/TAU2_DATA_DIR or WRIT_DATA_ROOTS/);
  });

  it("refuses directories outside the roots, through .. and through a symlink, with one message whether they exist or not", async () => {
    setEnv({ WRIT_DATA_ROOTS: root });
    brokenDomain(outside, "dom");
    symlinkSync(join(outside, "dom"), join(root, "link-out"));
    const answers = [];
    for (const dir of ["/etc", join(outside, "dom"), join(root, "..", "outside", "dom"), join(root, "link-out"), "/no/such/dir", join(root, "missing"), "relative/dir"]) {
      const res = await create(dir);
      expect(res.status, dir).toBe(400);
      expect(res.body.error.field).toBe("domain_dir");
      answers.push(res.body.error.message);
    }
    expect(new Set(answers).size).toBe(1);
  });

  it("accepts a directory under WRIT_DATA_ROOTS; a file that is not JSON is named with its position, not quoted", async () => {
    setEnv({ WRIT_DATA_ROOTS: `/nonexistent-root:${root}` });
    const dir = brokenDomain(root, "broken");
    const created = await create(dir, "broken one");
    expect(created.status).toBe(201);
    expect(created.body.environment.domain_dir).toBe(dir);
    const opened = await environmentRoute.GET(new Request("http://x"), { params: Promise.resolve({ id: String(created.body.environment.id) }) });
    const text = await opened.text();
    expect(opened.status).toBe(422);
    expect(text).toContain(join(dir, "db.json"));
    expect(text).toContain("position 0 (line 1, column 1)");
    expect(text).not.toContain("root:x");
  });

  it("accepts TAU2_DATA_DIR itself and loads the real τ² airline data from it", async () => {
    setEnv({ TAU2_DATA_DIR: TAU2 });
    const created = await create(TAU2, "real tau2");
    expect(created.status).toBe(201);
    const opened = await environmentRoute.GET(new Request("http://x"), { params: Promise.resolve({ id: String(created.body.environment.id) }) });
    expect(opened.status).toBe(200);
    expect(JSON.stringify(await opened.json())).toContain("db.reconstructed.json");
  });

  it("WRIT_DATA_ROOTS must hold absolute paths", () => {
    expect(parseEnv({ WRIT_DATA_ROOTS: "/a:/b/c" }).WRIT_DATA_ROOTS).toEqual(["/a", "/b/c"]);
    expect(parseEnv({}).WRIT_DATA_ROOTS).toEqual([]);
    expect(() => parseEnv({ WRIT_DATA_ROOTS: "/a:data/tau2" })).toThrow(/WRIT_DATA_ROOTS must be absolute paths .*bad: data\/tau2/);
  });
});

describe("the CLI (the operator) reads any --domain-dir", () => {
  it("writ tau2 replay loads a directory outside every root; a broken one fails naming the file and position only", async () => {
    const tasks = join(outside, "two-tasks.json");
    writeFileSync(tasks, JSON.stringify((JSON.parse(readFileSync(join(TAU2, "tasks.json"), "utf8")) as unknown[]).slice(0, 2)));
    const env = { ...process.env, TAU2_DATA_DIR: "", WRIT_DATA_ROOTS: "" };
    const ok = await run(process.execPath, ["--import", "tsx", writ, "tau2", "replay", "--domain-dir", TAU2, "--tasks", tasks], { env });
    const lines = ok.stdout.trim().split("\n").map((l) => JSON.parse(l) as { task_id: string; reward: number });
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => typeof l.reward === "number")).toBe(true);
    const broken = brokenDomain(outside, "cli-broken");
    const failed = await run(process.execPath, ["--import", "tsx", writ, "tau2", "replay", "--domain-dir", broken], { env }).catch((e: { code: number; stderr: string }) => e);
    expect("code" in failed && failed.code).not.toBe(0);
    expect(failed.stderr).toContain(`${join(broken, "db.json")}: not valid JSON (syntax error at position 0`);
    expect(failed.stderr).not.toContain("root:x");
  }, 60_000);
});
