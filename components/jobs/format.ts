/** Display helpers for the jobs table (pure, unit-tested). */
export function formatDuration(ms: number | null): string {
  if (ms === null || ms < 0) return "—";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const s = ms / 1_000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s % 60);
  if (m < 60) return `${m}m ${rest.toString().padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${(m % 60).toString().padStart(2, "0")}m`;
}

export function formatPayload(payload: unknown): string {
  if (payload === null || payload === undefined) return "";
  if (typeof payload !== "object") return String(payload);
  return Object.entries(payload as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
}

export function formatProgress(done: number, total: number | null): string {
  if (total === null) return done > 0 ? String(done) : "";
  return `${done}/${total}`;
}

/** "last seen" ages of the workers table: whole seconds under a minute, then the duration format. */
export function formatAge(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.floor(ms / 1_000))} s`;
  return formatDuration(ms);
}

/** Throughput with two significant figures at most; a rate of zero reads as "0". */
export function formatRate(perUnit: number): string {
  if (!Number.isFinite(perUnit) || perUnit <= 0) return "0";
  if (perUnit >= 100) return String(Math.round(perUnit));
  return String(Number(perUnit.toPrecision(2)));
}
