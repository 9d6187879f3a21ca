/**
 * τ²'s `calculate` tool evaluates the expression with Python's `eval` after checking that
 * it only holds digits, + - * / ( ) . and spaces, then returns str(round(float(x), 2)).
 * Python-specific consequences reproduced here: `**` (power) and `//` (floor division)
 * are allowed because they are spelt with allowed characters; ints stay exact ints until
 * `/`; `round` is round-half-even on the exact binary value; the result prints as a
 * Python float ("4.0", "1e+16", "-0.0"). Errors carry Python's messages where cheap.
 * Known gap: integers beyond 2^53 are not exact (Python's are arbitrary precision).
 */

const ALLOWED = new Set("0123456789+-*/(). ");

export class CalcError extends Error {}

type Num = { v: number; isInt: boolean };

type Token = { kind: "num"; text: string } | { kind: "op"; text: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " ") {
      i++;
      continue;
    }
    if ((c >= "0" && c <= "9") || c === ".") {
      let j = i;
      while (j < src.length && src[j] >= "0" && src[j] <= "9") j++;
      if (src[j] === ".") {
        j++;
        while (j < src.length && src[j] >= "0" && src[j] <= "9") j++;
      }
      const text = src.slice(i, j);
      if (text === ".") throw new CalcError("invalid syntax (<string>, line 1)");
      if (src[j] === ".") throw new CalcError("invalid syntax (<string>, line 1)");
      if (!text.includes(".") && text.length > 1 && text[0] === "0" && /[1-9]/.test(text)) {
        throw new CalcError(
          "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)",
        );
      }
      out.push({ kind: "num", text });
      i = j;
      continue;
    }
    if (c === "*" && src[i + 1] === "*") {
      out.push({ kind: "op", text: "**" });
      i += 2;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      out.push({ kind: "op", text: "//" });
      i += 2;
      continue;
    }
    out.push({ kind: "op", text: c });
    i++;
  }
  return out;
}

function floorDiv(a: Num, b: Num): Num {
  if (b.v === 0) {
    throw new CalcError(a.isInt && b.isInt ? "integer division or modulo by zero" : "float floor division by zero");
  }
  return { v: Math.floor(a.v / b.v), isInt: a.isInt && b.isInt };
}

function trueDiv(a: Num, b: Num): Num {
  if (b.v === 0) throw new CalcError(a.isInt && b.isInt ? "division by zero" : "float division by zero");
  return { v: a.v / b.v, isInt: false };
}

function power(a: Num, b: Num): Num {
  if (a.isInt && b.isInt) {
    if (b.v >= 0) return { v: a.v ** b.v, isInt: true };
    if (a.v === 0) throw new CalcError("0.0 cannot be raised to a negative power");
    return { v: a.v ** b.v, isInt: false };
  }
  if (a.v === 0 && b.v < 0) throw new CalcError("0.0 cannot be raised to a negative power");
  if (a.v < 0 && !Number.isInteger(b.v)) {
    // Python yields a complex number, which float() then refuses.
    throw new CalcError("float() argument must be a string or a real number, not 'complex'");
  }
  return { v: a.v ** b.v, isInt: false };
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  parse(): Num {
    if (this.toks.length === 0) throw new CalcError("invalid syntax (<string>, line 0)");
    const v = this.expr();
    if (this.pos < this.toks.length) throw new CalcError("invalid syntax (<string>, line 1)");
    return v;
  }

  private peek(): Token | undefined {
    return this.toks[this.pos];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === "op" && t.text === text;
  }

  private expr(): Num {
    let left = this.term();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.toks[this.pos++].text;
      const right = this.term();
      left = { v: op === "+" ? left.v + right.v : left.v - right.v, isInt: left.isInt && right.isInt };
    }
    return left;
  }

  private term(): Num {
    let left = this.factor();
    while (this.isOp("*") || this.isOp("/") || this.isOp("//")) {
      const op = this.toks[this.pos++].text;
      const right = this.factor();
      if (op === "*") left = { v: left.v * right.v, isInt: left.isInt && right.isInt };
      else if (op === "/") left = trueDiv(left, right);
      else left = floorDiv(left, right);
    }
    return left;
  }

  private factor(): Num {
    if (this.isOp("+") || this.isOp("-")) {
      const op = this.toks[this.pos++].text;
      const v = this.factor();
      return op === "-" ? { v: -v.v, isInt: v.isInt } : v;
    }
    return this.power();
  }

  private power(): Num {
    const base = this.atom();
    if (this.isOp("**")) {
      this.pos++;
      return power(base, this.factor());
    }
    return base;
  }

  private atom(): Num {
    const t = this.peek();
    if (t === undefined) throw new CalcError("invalid syntax (<string>, line 1)");
    if (t.kind === "num") {
      this.pos++;
      return { v: Number(t.text), isInt: !t.text.includes(".") };
    }
    if (t.text === "(") {
      this.pos++;
      if (this.isOp(")")) {
        // `()` is an empty tuple in Python; float(()) fails.
        throw new CalcError("float() argument must be a string or a real number, not 'tuple'");
      }
      const v = this.expr();
      if (!this.isOp(")")) throw new CalcError(this.peek() ? "invalid syntax (<string>, line 1)" : "'(' was never closed (<string>, line 1)");
      this.pos++;
      return v;
    }
    if (t.text === ")") throw new CalcError("unmatched ')' (<string>, line 1)");
    throw new CalcError("invalid syntax (<string>, line 1)");
  }
}

/** Python's round(x, 2) for a float: exact-value rounding, ties to even. */
export function pyRound2(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 52) return x;
  // A value exactly halfway between two cents must be j/8 with j odd (see module doc).
  const eighths = x * 8;
  if (Number.isInteger(eighths) && Math.abs(eighths) % 2 === 1) {
    const lo = Math.floor(x * 100);
    const n = lo % 2 === 0 ? lo : lo + 1;
    return n / 100;
  }
  return parseFloat(x.toFixed(2));
}

/** Python's repr/str of a float. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expStr] = x.toExponential().split("e");
  const exp = Number(expStr);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  let body: string;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) body = "0." + "0".repeat(-exp - 1) + digits;
    else if (digits.length <= exp + 1) body = digits + "0".repeat(exp + 1 - digits.length) + ".0";
    else body = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  } else {
    const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    body = m + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
  }
  return (neg ? "-" : "") + body;
}

export function calculateExpression(expression: string): string {
  for (const ch of expression) {
    if (!ALLOWED.has(ch)) throw new CalcError("Invalid characters in expression");
  }
  const result = new Parser(tokenize(expression)).parse();
  return pyFloatRepr(pyRound2(result.v));
}
