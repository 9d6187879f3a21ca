import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { compareExperiments } from "@/lib/compare/compare";
import { compareQuerySchema, toCompareInput } from "@/lib/compare/query";

/**
 * GET /api/compare?a=ID&b=ID[&a_steps=0-50&b_steps=400-450][&iteration=ID&c=DIFF&estimator=]
 * → CompareResponse (lib/compare/compare.ts). 400 names the field, 404 an unknown experiment,
 * 409 when the two sides do not run the same task set.
 */
export async function GET(req: Request) {
  await connection();
  return handleRoute(() => {
    const q = parseInput(compareQuerySchema, searchParamsObject(req.url));
    return json(compareExperiments(getDb(), toCompareInput(q)));
  });
}
