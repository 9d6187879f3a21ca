"use client";

/**
 * A turn's calibration at a glance: tier chip (colour + label), turn reward r and advantage A
 * under the browser's config, and — when a second config is compared — what changes. Hover or
 * keyboard focus opens the reason (the evidence the classifier saw).
 */
import { useId } from "react";
import { TIER_COLORS, fmtSigned } from "@/components/calibration/series";
import type { TurnAnnotation, TurnChange } from "@/lib/calibration/annotations";
import type { TierName } from "@/lib/rewards";

export interface CellAnnotation {
  ann: TurnAnnotation;
  /** Set when a second config is compared and this turn's tier, reward or advantage sign changes. */
  change: TurnChange | null;
}

export function TierChip({ tier, muted = false }: { tier: TierName; muted?: boolean }) {
  return (
    <span
      className={"inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-[11px] leading-none font-semibold text-white " + (muted ? "opacity-70" : "")}
      style={{ backgroundColor: TIER_COLORS[tier] }}
    >
      {tier}
    </span>
  );
}

const KIND_LABEL = { tier: "tier", reward: "reward", sign: "advantage sign" } as const;

export function TurnAnnotationBar({ a, selected }: { a: CellAnnotation; selected: boolean }) {
  const tipId = useId();
  const { ann, change } = a;
  return (
    <div className="mb-2 space-y-1">
      <div
        tabIndex={0}
        aria-describedby={tipId}
        data-testid="turn-annotation"
        className="group/ann relative flex flex-wrap items-center gap-x-2 gap-y-1 rounded-md bg-zinc-50 px-1.5 py-1 text-xs outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:bg-zinc-800/60"
      >
        <TierChip tier={ann.tier} />
        <span className="font-mono tabular-nums text-zinc-700 dark:text-zinc-200" title="turn reward">
          r {fmtSigned(ann.reward, 2)}
        </span>
        <span
          className={"font-mono tabular-nums " + (ann.advantage > 0 ? "text-emerald-700 dark:text-emerald-400" : ann.advantage < 0 ? "text-red-700 dark:text-red-400" : "text-zinc-500")}
          title="turn advantage"
        >
          A {fmtSigned(ann.advantage, 3)}
        </span>
        <span className="ml-auto text-[10px] text-zinc-400 dark:text-zinc-500" aria-hidden="true">
          why?
        </span>
        <div
          id={tipId}
          role="tooltip"
          data-testid="turn-reason"
          className="pointer-events-none invisible absolute top-full left-0 z-30 mt-1 w-[22rem] max-w-[80vw] rounded-md border border-zinc-200 bg-white p-2.5 text-xs text-zinc-800 opacity-0 shadow-lg transition-opacity group-hover/ann:visible group-hover/ann:opacity-100 group-focus/ann:visible group-focus/ann:opacity-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200"
        >
          <ReasonBody ann={ann} />
        </div>
      </div>
      {change ? <ChangeMarker change={change} /> : null}
      {selected ? (
        <p className="px-1 text-[11px] leading-snug break-words text-zinc-600 dark:text-zinc-400" data-testid="turn-reason-inline">
          {ann.reason.text}
        </p>
      ) : null}
    </div>
  );
}

function ReasonBody({ ann }: { ann: TurnAnnotation }) {
  const r = ann.reason;
  return (
    <div className="space-y-1.5">
      <p className="leading-snug break-words">{r.text}</p>
      {r.call ? <p className="font-mono text-[11px] break-all text-zinc-500 dark:text-zinc-400">call: {r.call}</p> : null}
      {r.gold ? (
        <p className="font-mono text-[11px] break-all text-zinc-500 dark:text-zinc-400">
          gold #{(r.gold_index ?? 0) + 1}: {r.gold.name}({JSON.stringify(r.gold.arguments)})
        </p>
      ) : null}
      {r.differs.length ? (
        <table className="w-full text-[11px]">
          <thead>
            <tr className="text-left text-zinc-500">
              <th className="pr-2 font-medium">argument</th>
              <th className="pr-2 font-medium">call</th>
              <th className="font-medium">gold</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {r.differs.map((d) => (
              <tr key={d.arg}>
                <td className="pr-2 align-top">{d.arg}</td>
                <td className="pr-2 align-top break-all text-red-700 dark:text-red-400">{d.call ?? "—"}</td>
                <td className="align-top break-all text-emerald-700 dark:text-emerald-400">{d.gold ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {r.options.length ? <p className="text-[11px] text-zinc-500">deep-equal: {r.options.join(", ")}</p> : null}
      <p className="text-[11px] text-zinc-500">
        agent turn {ann.turn} (RL export index) · r = {ann.reward} · A = {ann.advantage}
      </p>
    </div>
  );
}

function ChangeMarker({ change }: { change: TurnChange }) {
  const parts: string[] = [];
  if (change.kinds.includes("tier")) parts.push(`${change.from.tier} → ${change.to.tier}`);
  if (change.kinds.includes("reward")) parts.push(`r ${fmtSigned(change.from.reward, 2)} → ${fmtSigned(change.to.reward, 2)}`);
  if (change.kinds.includes("sign")) parts.push(`A ${fmtSigned(change.from.advantage, 3)} → ${fmtSigned(change.to.advantage, 3)}`);
  return (
    <div
      data-testid="turn-change"
      data-change={change.kinds.join(" ")}
      className="flex flex-wrap items-center gap-1.5 rounded-md bg-amber-50 px-1.5 py-1 text-[11px] text-amber-900 ring-1 ring-amber-300 ring-inset dark:bg-amber-950/50 dark:text-amber-200 dark:ring-amber-800"
      title={`changes under the compared config: ${change.kinds.map((k) => KIND_LABEL[k]).join(", ")}`}
    >
      <span className="font-semibold">Δ</span>
      <span className="font-mono tabular-nums">{parts.join(" · ")}</span>
    </div>
  );
}
