/**
 * The server's OPENAI_API_KEY goes only where the operator said (WRIT_OPENAI_ENV_KEY_HOSTS),
 * never to a base URL an API caller names: checked on the Authorization header a real local
 * chat-completions stub receives, through the endpoint test route and through an experiment
 * run by an in-process worker (real openai SDK).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { join } from "node:path";
import { getDb, resetDb } from "../db/server";
import { getExperimentRow } from "../db/queries/experiments";
import { parseEnv, resetEnvCache } from "../lib/settings";
import { createWorker, type Worker } from "../workers/worker";
import * as experimentsRoute from "../app/api/experiments/route";
import * as endpointsRoute from "../app/api/endpoints/route";
import * as endpointTestRoute from "../app/api/endpoints/test/route";
import { envKeyAllowedFor } from "../lib/agents/openai/env-key";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import { startStubServer, reply, type StubServer } from "./stub-openai-server";
import { makeTempDir } from "./temp-dir";
import { waitFor } from "./helpers";

vi.mock("next/server", () => ({ connection: async () => {} }));

const ENV_SECRET = "sk-server-ENVKEY-0123456789abcdef";
const saved = { db: process.env.WRIT_DB, key: process.env.OPENAI_API_KEY, hosts: process.env.WRIT_OPENAI_ENV_KEY_HOSTS };
let stub: StubServer;
let worker: Worker;
let setId: number;

function setHosts(value: string | undefined) {
  if (value === undefined) delete process.env.WRIT_OPENAI_ENV_KEY_HOSTS;
  else process.env.WRIT_OPENAI_ENV_KEY_HOSTS = value;
  resetEnvCache();
}

async function call(res: Response | Promise<Response>) {
  const r = await res;
  return { status: r.status, body: await r.json() };
}
const post = (body: unknown) => new Request("http://x", { method: "POST", body: JSON.stringify(body) });

/** Authorization headers the stub saw from request `from` on. */
const authSince = (from: number) => stub.requests.slice(from).map((r) => String(r.headers.authorization ?? ""));

async function runAdHocExperiment(): Promise<string[]> {
  const from = stub.requests.length;
  const created = await call(
    experimentsRoute.POST(
      post({ name: `adhoc ${Date.now()}`, task_set_id: setId, agent: { kind: "openai", base_url: stub.baseURL, model: "m" }, group_size: 1, max_turns: 2 }),
    ),
  );
  expect(created.status).toBe(201);
  const id = created.body.experiment.id as number;
  await waitFor(() => getExperimentRow(getDb(), id)?.status === "completed" || undefined, 30_000, `experiment ${id}`);
  const seen = authSince(from);
  expect(seen.length).toBeGreaterThan(0);
  return seen;
}

beforeAll(async () => {
  process.env.WRIT_DB = join(makeTempDir("writ-env-key-"), "writ.db");
  process.env.OPENAI_API_KEY = ENV_SECRET;
  setHosts(undefined);
  resetDb();
  stub = await startStubServer({ handler: () => reply.text("Done. ###STOP###") });
  setId = insertTaskSet(getDb(), "env-key-set", synthesizeSmall([{ writes: 1, evidence: 1, count: 1 }]));
  worker = createWorker({ db: getDb(), pollMs: 10, leaseMs: 5_000, log: () => {} });
  worker.start();
});
afterAll(async () => {
  await worker.stop();
  await stub.close();
  resetDb();
  for (const [name, value] of [["WRIT_DB", saved.db], ["OPENAI_API_KEY", saved.key], ["WRIT_OPENAI_ENV_KEY_HOSTS", saved.hosts]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
});

describe("the server's OPENAI_API_KEY", () => {
  it("is not sent to an ad-hoc base_url by the endpoint test", async () => {
    const from = stub.requests.length;
    const tested = await call(endpointTestRoute.POST(post({ base_url: stub.baseURL, model: "m" })));
    expect(tested.status).toBe(200);
    expect(tested.body.key_source).toBe("none");
    expect(authSince(from)).toHaveLength(1);
    expect(authSince(from).join()).not.toContain(ENV_SECRET);
  });

  it("is not sent to a saved endpoint without its own key either (saving is an API call too)", async () => {
    const ep = await call(endpointsRoute.POST(post({ name: "no-key", base_url: stub.baseURL, model: "m" })));
    expect(ep.status).toBe(201);
    const from = stub.requests.length;
    const tested = await call(endpointTestRoute.POST(post({ endpoint_id: ep.body.endpoint.id })));
    expect(tested.body.key_source).toBe("none");
    expect(authSince(from).join()).not.toContain(ENV_SECRET);
  });

  it("is not sent by an experiment whose agent names a base_url", async () => {
    expect((await runAdHocExperiment()).join()).not.toContain(ENV_SECRET);
  });

  it("is sent to an allow-listed host:port, by the test and by an experiment", async () => {
    setHosts(`api.openai.com, 127.0.0.1:${stub.port}`);
    try {
      const listed = await call(endpointsRoute.GET());
      expect(listed.body.default_key_hosts).toEqual(["api.openai.com", `127.0.0.1:${stub.port}`]);
      const from = stub.requests.length;
      const tested = await call(endpointTestRoute.POST(post({ base_url: stub.baseURL, model: "m" })));
      expect(tested.body).toMatchObject({ ok: true, key_source: "server_env" });
      expect(authSince(from)).toEqual([`Bearer ${ENV_SECRET}`]);
      expect(JSON.stringify(tested.body)).not.toContain(ENV_SECRET);
      const seen = await runAdHocExperiment();
      expect(new Set(seen)).toEqual(new Set([`Bearer ${ENV_SECRET}`]));
    } finally {
      setHosts(undefined);
    }
  });

  it("a caller's own key still goes to its own URL", async () => {
    const from = stub.requests.length;
    const tested = await call(endpointTestRoute.POST(post({ base_url: stub.baseURL, model: "m", api_key: "sk-caller-own" })));
    expect(tested.body.key_source).toBe("endpoint");
    expect(authSince(from)).toEqual(["Bearer sk-caller-own"]);
  });
});

describe("WRIT_OPENAI_ENV_KEY_HOSTS", () => {
  it("matches host and port exactly (no port = the scheme's default port only)", () => {
    const env = { WRIT_OPENAI_ENV_KEY_HOSTS: ["api.openai.com", "127.0.0.1:8000", "[::1]:9000"] };
    expect(envKeyAllowedFor("https://api.openai.com/v1", env)).toBe(true);
    expect(envKeyAllowedFor("https://API.OpenAI.com:443/v1", env)).toBe(true);
    expect(envKeyAllowedFor("https://api.openai.com:8443/v1", env)).toBe(false);
    // A port-less entry means HTTPS only: plain http would carry the key unencrypted.
    expect(envKeyAllowedFor("http://api.openai.com/v1", env)).toBe(false);
    expect(envKeyAllowedFor("https://api.openai.com.evil.example/v1", env)).toBe(false);
    expect(envKeyAllowedFor("http://127.0.0.1:8000/v1", env)).toBe(true);
    expect(envKeyAllowedFor("http://127.0.0.1:8001/v1", env)).toBe(false);
    expect(envKeyAllowedFor("http://127.0.0.1/v1", env)).toBe(false);
    expect(envKeyAllowedFor("http://[::1]:9000/v1", env)).toBe(true);
    expect(envKeyAllowedFor("http://user@evil.example/@api.openai.com", env)).toBe(false);
  });

  it("is validated at start and defaults to api.openai.com", () => {
    expect(parseEnv({}).WRIT_OPENAI_ENV_KEY_HOSTS).toEqual(["api.openai.com"]);
    expect(parseEnv({ WRIT_OPENAI_ENV_KEY_HOSTS: " Localhost:8000 ,vllm.lan" }).WRIT_OPENAI_ENV_KEY_HOSTS).toEqual(["localhost:8000", "vllm.lan"]);
    expect(() => parseEnv({ WRIT_OPENAI_ENV_KEY_HOSTS: "http://vllm.lan/v1, ok.lan, a:99999" })).toThrow(
      /WRIT_OPENAI_ENV_KEY_HOSTS must be host\[:port\] entries separated by commas \(bad: http:\/\/vllm.lan\/v1, a:99999\)/,
    );
  });
});

describe("POST /api/endpoints/test input", () => {
  it("names endpoint_id when it is not a number", async () => {
    const res = await call(endpointTestRoute.POST(post({ endpoint_id: "x" })));
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("endpoint_id");
    expect(res.body.error.message).toMatch(/endpoint_id/);
  });
  it("names model when base_url comes without it, and refuses mixing the two forms", async () => {
    const noModel = await call(endpointTestRoute.POST(post({ base_url: stub.baseURL })));
    expect([noModel.status, noModel.body.error.field]).toEqual([400, "model"]);
    const both = await call(endpointTestRoute.POST(post({ endpoint_id: 1, base_url: stub.baseURL })));
    expect([both.status, both.body.error.field]).toEqual([400, "base_url"]);
    const empty = await call(endpointTestRoute.POST(post({})));
    expect([empty.status, empty.body.error.field]).toEqual([400, "endpoint_id"]);
  });
});
