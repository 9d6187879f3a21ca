import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ConflictError, NotFoundError, ValidationError } from "./errors";
import { errorToResponse, handleRoute } from "./respond";

const body = async (res: Response) => ({ status: res.status, ...(await res.json()) });

describe("errorToResponse", () => {
  it("maps zod errors to 400 with the field", async () => {
    const err = z.object({ limit: z.number() }).safeParse({ limit: "x" }).error;
    expect(await body(errorToResponse(err))).toMatchObject({ status: 400, error: { code: "invalid_request", field: "limit" } });
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
