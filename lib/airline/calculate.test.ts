import { describe, expect, it } from "vitest";
import { calculateExpression, pyFloatRepr, pyRound2 } from "./calculate";

describe("calculate (Python eval semantics)", () => {
  it.each([
    ["2 + 2", "4.0"],
    ["(150 + 30) * 2", "360.0"],
    ["10 / 4", "2.5"],
    ["1 / 3", "0.33"],
    ["2 ** 10", "1024.0"],
    ["-2 ** 2", "-4.0"],
    ["2 ** -1", "0.5"],
    ["7 // 2", "3.0"],
    ["-7 // 2", "-4.0"],
    [".5 + 1.", "1.5"],
    ["0.125", "0.12"],
    ["0.375", "0.38"],
    ["2.675", "2.67"],
    ["-0.001", "-0.0"],
    ["10 ** 16", "1e+16"],
    ["1234.5678", "1234.57"],
    ["00 + 1", "1.0"],
  ])("%s → %s", (expr, out) => {
    expect(calculateExpression(expr)).toBe(out);
  });

  it.each([
    ["2 + a", "Invalid characters in expression"],
    ["2 % 3", "Invalid characters in expression"],
    ["1 / 0", "division by zero"],
    ["1.0 / 0", "float division by zero"],
    ["1 // 0", "integer division or modulo by zero"],
    ["0 ** -1", "0.0 cannot be raised to a negative power"],
    ["(-8) ** 0.5", "not 'complex'"],
    ["2 +", "invalid syntax"],
    ["(2 + 3", "was never closed"],
    ["2 3", "invalid syntax"],
    ["01", "leading zeros"],
    ["", "invalid syntax"],
  ])("%s fails with %s", (expr, msg) => {
    expect(() => calculateExpression(expr)).toThrow(msg);
  });

  it("rounds half to even on exact ties only and prints like Python", () => {
    expect(pyRound2(0.125)).toBe(0.12);
    expect(pyRound2(-0.125)).toBe(-0.12);
    expect(pyRound2(1.005)).toBe(1); // 1.005 is really 1.00499…
    expect(pyFloatRepr(1e-5)).toBe("1e-05");
    expect(pyFloatRepr(123456789012345680000)).toBe("1.2345678901234568e+20");
    expect(pyFloatRepr(Infinity)).toBe("inf");
  });
});
