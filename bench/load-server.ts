/**
 * bench/load.ts's server when no production build exists: the route services the Next routes
 * call (same zod schemas, same functions, same error mapping) behind node:http on PORT, with
 * WRIT_DB. Only the routes the load case uses, plus /api/health. Not for anything but the bench.
 */
import { createServer } from "node:http";
import { getDb } from "../db/server";
import { runAnalysisParallel, requireExperiment } from "../lib/calibration/analysis";
import { resolveConfig } from "../lib/calibration/request";
import { analysisBodySchema } from "../lib/calibration/schemas";
import { getGroupDetail } from "../lib/experiments/service";
import { getGroupPage, getGroupSiblingMessages, groupPageQuerySchema, groupSiblingsQuerySchema } from "../lib/experiments/group-pages";
import { errorToResponse, json } from "../lib/http/respond";

async function route(method: string, url: URL, body: string): Promise<Response> {
  try {
    const db = getDb();
    const q = Object.fromEntries(url.searchParams);
    let m: RegExpExecArray | null;
    if (url.pathname === "/api/health") return json({ ok: true });
    if (method === "GET" && (m = /^\/api\/groups\/([^/]+)\/messages$/.exec(url.pathname))) {
      const p = groupSiblingsQuerySchema.parse(q);
      return json(getGroupSiblingMessages(db, decodeURIComponent(m[1]), p.from, p.to));
    }
    if (method === "GET" && (m = /^\/api\/groups\/([^/]+)$/.exec(url.pathname))) {
      const p = groupPageQuerySchema.parse(q);
      const id = decodeURIComponent(m[1]);
      return json(p.siblings === undefined ? getGroupDetail(db, id) : getGroupPage(db, id, p.siblings, p.include ?? null));
    }
    if (method === "POST" && (m = /^\/api\/experiments\/(\d+)\/analysis$/.exec(url.pathname))) {
      const id = Number(m[1]);
      const b = analysisBodySchema.parse(JSON.parse(body));
      requireExperiment(db, id);
      const config = resolveConfig(db, id, b.config);
      return json(await runAnalysisParallel(db, id, { config, slice: b.slice, include: b.include, turnsLimit: b.turns_limit }));
    }
    return json({ error: { code: "not_found", message: "no such route" } }, 404);
  } catch (err) {
    return errorToResponse(err);
  }
}

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", async () => {
    const r = await route(req.method ?? "GET", new URL(req.url ?? "/", "http://localhost"), Buffer.concat(chunks).toString("utf8"));
    const buf = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json", "content-length": buf.length });
    res.end(buf);
  });
}).listen(Number(process.env.PORT ?? 3000), "127.0.0.1");
