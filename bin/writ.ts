#!/usr/bin/env -S npx tsx
/**
 * The WRIT Lab CLI. `writ <command words> [--flags]`: the words name a module in
 * bin/commands (`writ tau2 replay` → tau2-replay.ts, longest match first), so each
 * command lives in its own file. Bad input exits 2 with one line on stderr.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { POSTGRES_NOT_YET_MESSAGE } from "../lib/settings";
import { CliError, parseArgs, type CliCommand } from "./cli-kit";

const commandsDir = join(__dirname, "commands");

function listCommands(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => f.slice(0, -3));
}

async function main(argv: string[]): Promise<void> {
  // Command words are the leading positionals before the first flag.
  const firstFlag = argv.findIndex((a) => a.startsWith("--"));
  const lead = (firstFlag === -1 ? argv : argv.slice(0, firstFlag)).slice(0, 3);
  for (let n = lead.length; n >= 1; n--) {
    const name = lead.slice(0, n).join("-");
    const file = join(commandsDir, `${name}.ts`);
    if (!/^[a-z0-9-]+$/.test(name) || !existsSync(file)) continue;
    // `writ db copy` names both databases itself; every other command uses the SQLite file.
    if (name !== "db-copy" && process.env.DATABASE_URL?.trim()) throw new CliError(POSTGRES_NOT_YET_MESSAGE);
    const mod = (await import(pathToFileURL(file).href)) as { default: CliCommand };
    await mod.default.run(parseArgs(argv.slice(n)));
    return;
  }
  const available = listCommands().map((c) => "  writ " + c.replace(/-/g, " ")).join("\n");
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "help") {
    process.stdout.write(`usage: writ <command> [options]\ncommands:\n${available}\n`);
    return;
  }
  throw new CliError(`unknown command "${lead.join(" ")}"; run "writ help" for the list`);
}

/**
 * Exit once stdout and stderr have handed everything to the OS. Writes to a pipe are
 * asynchronous: process.exit() right after a large printJson cut the output at the pipe's
 * 64 KiB buffer (`writ analyze … | jq` read truncated JSON). We still exit explicitly, since
 * a command may leave handles open (a db, a thread), but only from the callback of an empty
 * write, which runs after every write queued before it. A reader that went away (EPIPE)
 * completes the write with an error: exit all the same.
 */
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", () => {}); // EPIPE after the reader left: nothing more to say.
    stream.write("", done);
  }
}

main(process.argv.slice(2)).then(
  () => exitAfterFlush(typeof process.exitCode === "number" ? process.exitCode : 0),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`writ: ${message.split("\n")[0]}\n`);
    if (!(err instanceof CliError) && process.env.WRIT_DEBUG) console.error(err);
    exitAfterFlush(err instanceof CliError ? 2 : 1);
  },
);
