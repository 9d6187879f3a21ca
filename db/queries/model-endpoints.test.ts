import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "../../tests/helpers";
import { createEndpoint, listEndpoints, publicEndpoint } from "./model-endpoints";

let t: TempDb;
beforeEach(() => {
  t = createTempDb();
});
afterEach(() => t.cleanup());

describe("publicEndpoint", () => {
  it("never exposes the api key", () => {
    const row = createEndpoint(t.db, { name: "local", baseUrl: "http://localhost:8000/v1", model: "m", apiKey: "sk-secret-123" });
    const pub = publicEndpoint(row);
    expect(pub).toMatchObject({ name: "local", baseUrl: "http://localhost:8000/v1", model: "m", hasApiKey: true });
    expect(JSON.stringify(pub)).not.toContain("sk-secret-123");
    expect(Object.keys(pub)).not.toContain("apiKey");
  });

  it("reports a missing key as hasApiKey false", () => {
    createEndpoint(t.db, { name: "keyless", baseUrl: "http://x/v1", model: "m" });
    expect(listEndpoints(t.db).map(publicEndpoint)[0].hasApiKey).toBe(false);
  });
});
