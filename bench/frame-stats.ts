/** Frame figures of a browser bench (bench/search-scroll.ts) from the page's requestAnimationFrame timestamps. */

export interface FrameLog {
  /** requestAnimationFrame timestamps (ms), in order. */
  frames: number[];
  /** Chromium's 'long-animation-frame' entries (frames over 50 ms of work), with the scripts that ran in them. */
  loaf: { duration: number; blocking: number; scripts: { what: string; duration: number }[] }[];
  /** 'longtask' entry durations (ms). */
  longtasks: number[];
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  return sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]) : null;
}

/** The scripts that took the most time inside long animation frames, summed by what ran them. */
function topScripts(loaf: FrameLog["loaf"], n: number): { what: string; total_ms: number; count: number }[] {
  const by = new Map<string, { total: number; count: number }>();
  for (const l of loaf)
    for (const s of l.scripts) {
      const e = by.get(s.what) ?? { total: 0, count: 0 };
      e.total += s.duration;
      e.count++;
      by.set(s.what, e);
    }
  return [...by.entries()]
    .sort((a, b) => b[1].total - a[1].total)
    .slice(0, n)
    .map(([what, e]) => ({ what, total_ms: Math.round(e.total), count: e.count }));
}

/** Frame intervals (time between consecutive frames: what a user sees as a frame's length) and the long frames. */
export function frameStats(log: FrameLog, limitMs: number) {
  const intervals: number[] = [];
  for (let i = 1; i < log.frames.length; i++) intervals.push(log.frames[i] - log.frames[i - 1]);
  const sorted = [...intervals].sort((a, b) => a - b);
  const loafSorted = log.loaf.map((l) => l.duration).sort((a, b) => a - b);
  return {
    frames: intervals.length,
    p50_ms: percentile(sorted, 0.5),
    p95_ms: percentile(sorted, 0.95),
    p99_ms: percentile(sorted, 0.99),
    max_ms: sorted.length ? round(sorted[sorted.length - 1]) : null,
    over_limit: intervals.filter((d) => d >= limitMs).length,
    long_animation_frames: {
      count: log.loaf.length,
      max_ms: loafSorted.length ? round(loafSorted[loafSorted.length - 1]) : null,
      max_blocking_ms: log.loaf.length ? round(Math.max(...log.loaf.map((l) => l.blocking))) : null,
      top_scripts: topScripts(log.loaf, 6),
    },
    long_tasks: { count: log.longtasks.length, max_ms: log.longtasks.length ? round(Math.max(...log.longtasks)) : null },
  };
}
