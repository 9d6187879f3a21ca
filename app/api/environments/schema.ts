/** Request schemas for /api/environments (zod once at the boundary). */
import { z } from "zod";
import { MAX_PAGE_SIZE, RESERVATION_STATUSES } from "@/lib/environment-sources/search";

const page = {
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
};
const text = (max: number) => z.string().trim().max(max).optional();

export const userSearchSchema = z.object({ q: text(200), ...page });
export const reservationSearchSchema = z.object({ q: text(50), user: text(200), status: z.enum(RESERVATION_STATUSES).optional(), ...page });
export const flightSearchSchema = z.object({
  origin: z.string().trim().regex(/^[A-Za-z]{3}$/, "origin must be a 3-letter IATA code").optional(),
  destination: z.string().trim().regex(/^[A-Za-z]{3}$/, "destination must be a 3-letter IATA code").optional(),
  date: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "date must be YYYY-MM-DD").optional(),
  number: text(20),
  ...page,
});

export const createEnvironmentSchema = z.discriminatedUnion("source_kind", [
  z.object({ source_kind: z.literal("generated"), name: z.string().trim().max(200).optional(), seed: z.number().int() }),
  z.object({ source_kind: z.literal("tau2"), name: z.string().trim().max(200).optional(), domain_dir: z.string().trim().min(1).max(4096) }),
]);

/** Drop empty query values so `?origin=` means "any". */
export function nonEmpty(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim() !== ""));
}
