/**
 * How many project modules a light route loads: imports app/api/jobs/[id]/route.ts, calls its
 * GET on a throwaway database, and counts the files of this repository (outside node_modules)
 * that were loaded. The job registry used to import every job's implementation, so this route
 * (one SELECT) pulled in the synthesizer, the rollout runner and the exporters.
 *
 *   npx tsx bench/route-modules.ts [route-file] [--list]
 *
 * The count comes from require.cache: tsx runs this repository's .ts files as CommonJS (the
 * package has no "type": "module"), so every project module the route reaches is in it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import Module from "node:module";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const requireHere = Module.createRequire(__filename);
const args = process.argv.slice(2);
const list = args.includes("--list");
const routeFile = resolve(ROOT, args.find((a) => !a.startsWith("--")) ?? "app/api/jobs/[id]/route.ts");

function projectModules(): string[] {
  return Object.keys(require.cache)
    .filter((f) => f.startsWith(ROOT + "/") && !f.includes("/node_modules/"))
    .map((f) => relative(ROOT, f))
    .sort();
}

/** Outside Next.js there is no request scope: `connection()` (prerendering only) is a no-op here. */
function stubNextServer(): void {
  const path = requireHere.resolve("next/server");
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  stub.exports = { connection: async () => {} };
  require.cache[path] = stub;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "writ-route-modules-"));
  process.env.WRIT_DB = join(dir, "writ.db");
  try {
    stubNextServer();
    const before = new Set(projectModules());
    const route: { GET: (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response> } = requireHere(routeFile);
    const res = await route.GET(new Request("http://localhost/api/jobs/1"), { params: Promise.resolve({ id: "1" }) });
    const loaded = projectModules().filter((f) => !before.has(f));
    if (list) for (const f of loaded) console.log(f);
    console.log(`${relative(ROOT, routeFile)}: GET answered ${res.status}; ${loaded.length} project modules loaded`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
