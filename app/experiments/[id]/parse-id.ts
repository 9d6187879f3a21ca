import { notFound } from "next/navigation";

/** Route param → experiment id; anything but a positive integer is a 404. */
export function parseExperimentId(raw: string): number {
  if (!/^\d+$/.test(raw)) notFound();
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  return id;
}

/** A non-negative integer search param, or the fallback. */
export function intParam(v: string | string[] | undefined, fallback = 0): number {
  const s = Array.isArray(v) ? v[0] : v;
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : fallback;
}

/** Route params may arrive percent-encoded; decode once, tolerating text that is not. */
export function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
