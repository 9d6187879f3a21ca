/**
 * One rollout's turns at a glance: turn rewards as bars coloured by tier (top band) and turn
 * advantages as bars (bottom band), each band with its own zero line and scale printed at the
 * left; turns that change under a compared config get an amber tick; the selected turn a frame.
 * Beside it: outcome, return (Σ r) and the group-normalised outcome advantage AO.
 */
import { TIER_COLORS, fmtSigned } from "@/components/calibration/series";
import type { RolloutAnnotation, TurnAnnotation } from "@/lib/calibration/annotations";

/** What the strip reads of an annotation (the search page's rows carry only this). */
export type StripAnnotation = Pick<RolloutAnnotation, "scored" | "outcome" | "return" | "outcome_advantage"> & {
  turns: readonly Pick<TurnAnnotation, "tier" | "reward" | "advantage">[];
};

const W = 240;
const BAND = 22;
const GAP = 6;
const TICK = 4;
const H = TICK + BAND + GAP + BAND;

const niceMax = (xs: number[]) => {
  const m = Math.max(1e-9, ...xs.map(Math.abs));
  return m;
};

export function RolloutStrip({
  annotation,
  changedTurns,
  selectedTurn,
}: {
  annotation: StripAnnotation | undefined;
  /** Agent-turn indices (0-based) that change under the compared config. */
  changedTurns?: ReadonlySet<number>;
  /** Selected agent-turn index (0-based), or null. */
  selectedTurn?: number | null;
}) {
  if (!annotation) return <div className="h-[58px] animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-label="Loading turn rewards" />;
  if (!annotation.scored) return <p className="text-[11px] text-zinc-500 dark:text-zinc-400">not scored yet (running)</p>;
  const turns = annotation.turns;
  const n = Math.max(1, turns.length);
  const step = W / n;
  const bw = Math.max(1, step * 0.78);
  const rMax = niceMax(turns.map((t) => t.reward));
  const aMax = niceMax(turns.map((t) => t.advantage));
  const rZero = TICK + BAND / 2;
  const aZero = TICK + BAND + GAP + BAND / 2;
  const bar = (v: number, max: number, zero: number) => {
    const h = (Math.abs(v) / max) * (BAND / 2);
    return { y: v >= 0 ? zero - h : zero, h: Math.max(h, v === 0 ? 0 : 0.8) };
  };
  const ret = annotation.return ?? 0;
  const ao = annotation.outcome_advantage ?? 0;
  return (
    <div className="space-y-1" data-testid="rollout-strip">
      <div className="flex items-stretch gap-1.5">
        <div className="flex w-9 shrink-0 flex-col justify-between py-px text-right font-mono text-[9px] leading-none text-zinc-500 dark:text-zinc-400" aria-hidden="true">
          <span title="turn reward scale">r ±{rMax.toFixed(rMax < 1 ? 2 : 1)}</span>
          <span title="turn advantage scale">A ±{aMax.toFixed(aMax < 1 ? 2 : 1)}</span>
        </div>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          className="h-[52px] w-full min-w-0 rounded bg-zinc-50 dark:bg-zinc-800/50"
          role="img"
          aria-label={`Turn rewards (top) and advantages (bottom) of ${turns.length} turns, coloured by tier`}
        >
          <line x1={0} x2={W} y1={rZero} y2={rZero} stroke="currentColor" className="text-zinc-300 dark:text-zinc-600" strokeWidth={0.5} />
          <line x1={0} x2={W} y1={aZero} y2={aZero} stroke="currentColor" className="text-zinc-300 dark:text-zinc-600" strokeWidth={0.5} />
          {turns.map((t, i) => {
            const x = i * step + (step - bw) / 2;
            const r = bar(t.reward, rMax, rZero);
            const a = bar(t.advantage, aMax, aZero);
            return (
              <g key={i}>
                <title>{`turn ${i + 1}: ${t.tier}, r ${fmtSigned(t.reward, 2)}, A ${fmtSigned(t.advantage, 3)}`}</title>
                {selectedTurn === i ? <rect x={i * step} y={0} width={step} height={H} className="fill-indigo-200/70 dark:fill-indigo-800/60" /> : null}
                {changedTurns?.has(i) ? <rect x={x} y={0} width={bw} height={TICK - 1} fill="#f59e0b" /> : null}
                <rect x={x} y={r.y} width={bw} height={r.h} fill={TIER_COLORS[t.tier]} />
                <rect x={x} y={a.y} width={bw} height={a.h} fill={TIER_COLORS[t.tier]} opacity={0.75} />
              </g>
            );
          })}
        </svg>
      </div>
      <div className="flex flex-wrap gap-x-2.5 text-[11px] text-zinc-600 dark:text-zinc-400" data-testid="rollout-returns">
        <span>
          outcome <span className={"font-mono font-semibold " + (annotation.outcome === 1 ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400")}>{annotation.outcome ?? "—"}</span>
        </span>
        <span title="return: sum of the turn rewards">
          Σr <span className="font-mono tabular-nums">{fmtSigned(ret, 2)}</span>
        </span>
        <span title="group-normalised outcome advantage (AO)">
          AO <span className="font-mono tabular-nums">{fmtSigned(ao, 3)}</span>
        </span>
      </div>
    </div>
  );
}
