import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ConflictError, NotFoundError, ValidationError } from "../errors/app-error";
import { errorToResponse, handleRoute } from "./respond";

const body = async (res: Response) => ({ status: res.status, ...(await res.json()) });

describe("errorToResponse", () => {
  it("maps zod errors to 400 with the field", async () => {
    const err = z.object({ limit: z.number() }).safeParse({ limit: "x" }).error;
    expect(await body(errorToResponse(err))).toMatchObject({ status: 400, error: { code: "invalid_request", field: "limit" } });
  });

  it("names the deepest offending field of a union that matched no branch", async () => {
    const endpoint = z.union([
      z.strictObject({ endpoint_id: z.number().int().positive() }),
      z.strictObject({ base_url: z.url(), model: z.string(), api_key: z.string().optional() }),
    ]);
    const bad = endpoint.safeParse({ endpoint_id: "x" }).error;
    expect((await body(errorToResponse(bad))).error).toMatchObject({ field: "endpoint_id", message: expect.stringContaining("endpoint_id") });
    const nested = z.object({ agent: z.union([z.literal("simulated"), z.object({ kind: z.literal("openai"), base_url: z.url() })]) });
    const deep = nested.safeParse({ agent: { kind: "openai", base_url: "not a url" } }).error;
    expect((await body(errorToResponse(deep))).error.field).toBe("agent.base_url");
    const tagged = z.object({ agent: z.discriminatedUnion("kind", [z.object({ kind: z.literal("a") }), z.object({ kind: z.literal("b"), n: z.number() })]) });
    expect((await body(errorToResponse(tagged.safeParse({ agent: { kind: "c" } }).error))).error.field).toBe("agent.kind");
    expect((await body(errorToResponse(tagged.safeParse({ agent: { kind: "b", n: "1" } }).error))).error.field).toBe("agent.n");
  });

  it("always names a field: unknown keys name the key, root problems name the body", async () => {
    const strict = z.strictObject({ a: z.number() });
    expect((await body(errorToResponse(strict.safeParse({ a: 1, extra: 2 }).error))).error.field).toBe("extra");
    expect((await body(errorToResponse(strict.safeParse([1]).error))).error.field).toBe("body");
    const levels = z.union([z.literal("low"), z.literal("high")]);
    expect((await body(errorToResponse(z.object({ level: levels }).safeParse({ level: "mid" }).error))).error.field).toBe("level");
  });

  it("maps typed domain errors to their status", async () => {
    expect((await body(errorToResponse(new NotFoundError("no such job")))).status).toBe(404);
    expect((await body(errorToResponse(new ConflictError("already done")))).status).toBe(409);
    expect(await body(errorToResponse(new ValidationError("bad", "name")))).toMatchObject({ status: 400, error: { field: "name" } });
  });

  it("hides unknown errors behind a generic 500 and logs the cause", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await handleRoute(() => {
      throw new Error("secret path /etc/x at line 3");
    });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: "internal server error" } });
    expect(text).not.toContain("secret");
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });
});
