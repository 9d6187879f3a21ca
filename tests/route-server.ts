/** Start tests/fixtures/route-server.ts as a child process on a free port (see that file). */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./helpers";

export interface RouteServer {
  base: string;
  child: ChildProcess;
  output: () => string;
  close(): Promise<void>;
}

export async function startRouteServer(dbPath: string, env: Record<string, string> = {}): Promise<RouteServer> {
  const child = spawn(
    process.execPath,
    ["--import", join(ROOT, "tests", "fixtures", "route-server-preload.mjs"), "--import", "tsx", join(ROOT, "tests", "fixtures", "route-server.ts")],
    { cwd: ROOT, env: { ...process.env, WRIT_DB: dbPath, NODE_ENV: "test", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let err = "";
  child.stderr?.on("data", (d) => (err += d));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const line = out.split("\n")[0];
      if (out.includes("\n")) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => reject(new Error(`route server exited (${code}) before listening: ${err}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    output: () => err,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
