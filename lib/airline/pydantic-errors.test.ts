import { describe, expect, it } from "vitest";
import { pythonRepr, truncateInputRepr } from "./pydantic-errors";

describe("Python repr and pydantic's input truncation", () => {
  it("writes dicts, lists, strings, numbers, booleans and None as Python's repr does", () => {
    expect(pythonRepr({ a: [1, 2.5, true, false, null], "b'": "it's", c: 'say "hi"\n' })).toBe(
      `{'a': [1, 2.5, True, False, None], "b'": "it's", 'c': 'say "hi"\\n'}`,
    );
    expect(pythonRepr("both ' and \"")).toBe(`'both \\' and "'`);
    expect(pythonRepr("é")).toBe("'é'");
  });

  it("keeps a repr of at most 50 bytes and shortens a longer one to 25 + ... + 24 bytes", () => {
    const fifty = "x".repeat(50);
    expect(truncateInputRepr(fifty)).toBe(fifty);
    expect(truncateInputRepr("a".repeat(25) + "MIDDLE" + "z".repeat(24))).toBe("a".repeat(25) + "..." + "z".repeat(24));
    // A 2-byte character across the 25-byte cut is not split.
    expect(truncateInputRepr("a".repeat(24) + "é" + "b".repeat(40))).toBe("a".repeat(24) + "..." + "b".repeat(24));
  });
});
