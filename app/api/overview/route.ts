import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json } from "@/lib/http/respond";
import { getCalibrationOverview } from "@/lib/calibration/overview";

/** GET /api/overview → OverviewResponse (home page: experiments with key figures, recent iterations, running jobs). */
export async function GET() {
  await connection();
  return handleRoute(() => json(getCalibrationOverview(getDb())));
}
