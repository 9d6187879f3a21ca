/**
 * bench/group-open.ts's server when no production build exists: what the group view's two
 * requests reach — GET /api/groups/:id?siblings=K (app/api/groups/[id]/route.ts), GET
 * /api/groups/:id/messages and GET /api/groups/:id/annotations (…/annotations/route.ts) — as the
 * route handlers call them (same zod schemas, same services, same error mapping), behind
 * node:http on PORT with WRIT_DB, plus /api/health. Not for anything but the bench.
 */
import { createServer } from "node:http";
import { getDb } from "../db/server";
import { groupAnnotations } from "../lib/calibration/annotations";
import { annotationQuerySchema, toAnnotationRequest } from "../lib/calibration/annotation-query";
import { getGroupDetail } from "../lib/experiments/service";
import { getGroupPage, getGroupSiblingMessages, groupPageQuerySchema, groupSiblingsQuerySchema } from "../lib/experiments/group-pages";
import { errorToResponse, json } from "../lib/http/respond";

function route(method: string, url: URL): Response {
  try {
    const db = getDb();
    const q = Object.fromEntries(url.searchParams);
    let m: RegExpExecArray | null;
    if (url.pathname === "/api/health") return json({ ok: true });
    if (method !== "GET") return json({ error: { code: "not_found", message: "no such route" } }, 404);
    if ((m = /^\/api\/groups\/([^/]+)\/annotations$/.exec(url.pathname))) {
      return json(groupAnnotations(db, decodeURIComponent(m[1]), toAnnotationRequest(annotationQuerySchema.parse(q))));
    }
    if ((m = /^\/api\/groups\/([^/]+)\/messages$/.exec(url.pathname))) {
      const p = groupSiblingsQuerySchema.parse(q);
      return json(getGroupSiblingMessages(db, decodeURIComponent(m[1]), p.from, p.to));
    }
    if ((m = /^\/api\/groups\/([^/]+)$/.exec(url.pathname))) {
      const p = groupPageQuerySchema.parse(q);
      const id = decodeURIComponent(m[1]);
      return json(p.siblings === undefined ? getGroupDetail(db, id) : getGroupPage(db, id, p.siblings, p.include ?? null));
    }
    return json({ error: { code: "not_found", message: "no such route" } }, 404);
  } catch (err) {
    return errorToResponse(err);
  }
}

// Started by bench/group-open.ts with PORT set; run on its own (bench/run-all.ts runs every file) it says so and stops.
if (!process.env.PORT) {
  process.stderr.write("bench/group-open-server.ts is bench/group-open.ts's server: it needs PORT and WRIT_DB\n");
  process.exit(2);
}

createServer((req, res) => {
  req.resume();
  req.on("end", async () => {
    const r = route(req.method ?? "GET", new URL(req.url ?? "/", "http://localhost"));
    const buf = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json", "content-length": buf.length });
    res.end(buf);
  });
}).listen(Number(process.env.PORT), "127.0.0.1");
