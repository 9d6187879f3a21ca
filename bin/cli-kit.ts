/**
 * Small helpers every CLI command shares: flag parsing, a typed usage error, and the
 * output conventions of docs/cli-and-formats.md (JSON on stdout, progress on stderr).
 */
export class CliError extends Error {}

export interface ParsedArgs {
  flags: Record<string, string | true>;
  positional: string[];
}

/** `--name value` and `--flag` (boolean when followed by another flag or nothing). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      if (eq > 0) {
        flags[token.slice(2, eq)] = token.slice(eq + 1);
        continue;
      }
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith("--")) {
        flags[token.slice(2)] = next;
        i++;
      } else flags[token.slice(2)] = true;
    } else positional.push(token);
  }
  return { flags, positional };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  if (v === true) throw new CliError(`--${name} needs a value`);
  return v;
}

export function requiredFlag(args: ParsedArgs, name: string): string {
  const v = stringFlag(args, name);
  if (v === undefined) throw new CliError(`--${name} is required`);
  return v;
}

export function numberFlag(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CliError(`--${name} must be a number, got "${v}"`);
  return n;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}

export function progress(message: string): void {
  process.stderr.write(message + "\n");
}

/** A command module: `bin/commands/<words-joined-by-dash>.ts` exporting this as default. */
export interface CliCommand {
  summary: string;
  usage: string;
  run(args: ParsedArgs): Promise<void>;
}
