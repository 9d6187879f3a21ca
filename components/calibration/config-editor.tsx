"use client";

/**
 * The reward config editor (left column). Every edit produces a whole new, valid RewardConfig;
 * the workbench recomputes from it. Tier values: a slider and a number field each (the number
 * field accepts values beyond the slider's range).
 */
import { memo, type ReactNode } from "react";
import type { EstimatorKind, FlipCount, RewardConfig, TierName } from "@/lib/calibration/api-types";
import { movePrecedence } from "@/lib/calibration/url-state";
import { perfMark } from "@/lib/perf";
import { TIER_NAMES } from "@/lib/rewards";
import { ESTIMATOR_LABELS, ESTIMATOR_ORDER, fmtShare, TIER_COLORS } from "./series";
import { NumberField } from "./number-field";

export const SLIDER = { min: -1, max: 1.5, step: 0.05 } as const;

const DEEP_EQUAL: { key: keyof RewardConfig["deep_equal"]; label: string; help: string }[] = [
  { key: "sort_lists", label: "Sort lists of objects", help: "compare lists of objects in canonical order" },
  { key: "coerce_numeric_strings", label: "Coerce numeric strings", help: '"12.50" equals 12.5' },
  { key: "drop_empty", label: "Drop empty values", help: 'null, "", [] and {} are ignored' },
];

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="border-b border-zinc-200 px-3 py-3 last:border-0 dark:border-zinc-800" data-testid={testId}>
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{title}</h3>
      {children}
    </section>
  );
}

function TierRow({ tier, config, onChange }: { tier: TierName; config: RewardConfig; onChange: (c: RewardConfig) => void }) {
  const raw = config.tiers[tier];
  const formula = raw === "formula";
  const value = typeof raw === "number" ? raw : null;
  const set = (v: number | "formula") => onChange({ ...config, tiers: { ...config.tiers, [tier]: v } });
  const sliderValue = value === null ? 0.75 : Math.min(SLIDER.max, Math.max(SLIDER.min, value));
  return (
    <div className="grid grid-cols-[4.5rem_1fr_4rem] items-center gap-2 py-1" data-testid={`tier-row-${tier}`}>
      <label htmlFor={`tier-slider-${tier}`} className="flex items-center gap-1.5 text-xs font-medium text-zinc-800 dark:text-zinc-200">
        <span className="h-2.5 w-2.5 shrink-0 rounded-sm" style={{ background: TIER_COLORS[tier] }} aria-hidden />
        {tier}
      </label>
      <input
        id={`tier-slider-${tier}`}
        type="range"
        min={SLIDER.min}
        max={SLIDER.max}
        step={SLIDER.step}
        value={sliderValue}
        disabled={formula}
        data-testid={`tier-slider-${tier}`}
        aria-valuetext={formula ? "formula" : String(value)}
        onChange={(e) => {
          perfMark("wb:input");
          set(Math.round(Number(e.target.value) * 100) / 100);
        }}
        className="h-1.5 w-full min-w-0 cursor-pointer accent-indigo-600 disabled:cursor-not-allowed disabled:opacity-40"
      />
      <NumberField
        label={`${tier} value`}
        testId={`tier-input-${tier}`}
        value={value}
        disabled={formula}
        placeholder={formula ? "f(x)" : undefined}
        onChange={(v) => {
          if (v === null) return;
          perfMark("wb:input");
          set(v);
        }}
        className="w-16"
      />
      {tier === "soft" ? (
        <label className="col-span-3 -mt-0.5 flex items-center gap-1.5 pl-[5rem] text-xs text-zinc-600 dark:text-zinc-400">
          <input
            type="checkbox"
            checked={formula}
            data-testid="soft-formula"
            onChange={(e) => {
              perfMark("wb:input");
              set(e.target.checked ? "formula" : 0.75);
            }}
            className="accent-indigo-600"
          />
          formula 0.5 + 0.5·matched/total
        </label>
      ) : null}
    </div>
  );
}

function PrecedenceList({ precedence, onChange }: { precedence: TierName[]; onChange: (p: TierName[]) => void }) {
  return (
    <ol className="space-y-1" data-testid="precedence-list" aria-label="Tier precedence, highest first">
      {precedence.map((t, i) => (
        <li key={t} className="flex items-center gap-2 rounded-md bg-zinc-50 px-2 py-1 text-xs dark:bg-zinc-800/60">
          <span className="w-4 text-right font-mono text-zinc-500 tabular-nums dark:text-zinc-400">{i + 1}</span>
          <span className="h-2.5 w-2.5 rounded-sm" style={{ background: TIER_COLORS[t] }} aria-hidden />
          <span className="flex-1 font-medium text-zinc-800 dark:text-zinc-200">{t}</span>
          <button
            type="button"
            aria-label={`Move ${t} up`}
            disabled={i === 0}
            onClick={() => onChange(movePrecedence(precedence, i, -1))}
            className="grid h-5 w-5 place-items-center rounded text-zinc-600 hover:bg-zinc-200 disabled:opacity-30 dark:text-zinc-300 dark:hover:bg-zinc-700"
          >
            ↑
          </button>
          <button
            type="button"
            aria-label={`Move ${t} down`}
            disabled={i === precedence.length - 1}
            onClick={() => onChange(movePrecedence(precedence, i, 1))}
            className="grid h-5 w-5 place-items-center rounded text-zinc-600 hover:bg-zinc-200 disabled:opacity-30 dark:text-zinc-300 dark:hover:bg-zinc-700"
          >
            ↓
          </button>
        </li>
      ))}
    </ol>
  );
}

function Knob({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <label className="flex items-center justify-between gap-2 py-0.5 text-xs text-zinc-700 dark:text-zinc-300" title={hint}>
      <span>
        {label}
        {hint ? <span className="ml-1 text-zinc-500 dark:text-zinc-500">{hint}</span> : null}
      </span>
      {children}
    </label>
  );
}

const selectCls =
  "h-7 rounded-md border border-zinc-300 bg-white px-1.5 text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100";

/** Memoised: a new analysis result re-renders the workbench, not the editor (its props are stable). */
export const ConfigEditor = memo(function ConfigEditor({
  config,
  onChange,
  flips,
  dirtyKeys,
}: {
  config: RewardConfig;
  onChange: (c: RewardConfig) => void;
  flips: FlipCount[] | null;
  /** Config paths that differ from the base iteration (marked in the editor). */
  dirtyKeys: Set<string>;
}) {
  const set = <K extends keyof RewardConfig>(key: K, v: RewardConfig[K]) => {
    perfMark("wb:input");
    onChange({ ...config, [key]: v });
  };
  const flipFor = (key: string) => flips?.find((f) => f.toggle === key);
  const dirtyTiers = TIER_NAMES.filter((t) => dirtyKeys.has(`tiers.${t}`));
  return (
    <div data-testid="config-editor">
      <Section title="Tier values">
        {TIER_NAMES.map((t) => (
          <TierRow key={t} tier={t} config={config} onChange={onChange} />
        ))}
        {dirtyTiers.length ? (
          <p className="mt-1 text-xs text-amber-700 dark:text-amber-400">Changed from base: {dirtyTiers.join(", ")}</p>
        ) : null}
      </Section>
      <Section title="Precedence (highest first)">
        <PrecedenceList precedence={config.precedence} onChange={(p) => set("precedence", p)} />
      </Section>
      <Section title="Deep-equal & gold matching">
        {DEEP_EQUAL.map((d) => {
          const f = flipFor(d.key);
          return (
            <label key={d.key} className="flex items-start gap-2 py-1 text-xs text-zinc-800 dark:text-zinc-200">
              <input
                type="checkbox"
                className="mt-0.5 accent-indigo-600"
                checked={config.deep_equal[d.key]}
                data-testid={`deep-equal-${d.key}`}
                onChange={(e) => set("deep_equal", { ...config.deep_equal, [d.key]: e.target.checked })}
              />
              <span>
                {d.label} <span className="text-zinc-500 dark:text-zinc-400">({d.help})</span>
                {f ? (
                  <span className="block text-zinc-500 dark:text-zinc-400">
                    toggling flips {f.turns_flipped.toLocaleString("en-US")} turns ({fmtShare(f.turn_share, 2)})
                  </span>
                ) : null}
              </span>
            </label>
          );
        })}
        <Knob label="Gold matching">
          <select
            className={selectCls}
            value={config.gold_matching}
            data-testid="gold-matching"
            onChange={(e) => set("gold_matching", e.target.value as RewardConfig["gold_matching"])}
          >
            <option value="unmatched_once">each gold action once</option>
            <option value="any">any gold action (repeats)</option>
          </select>
        </Knob>
      </Section>
      <Section title="Estimator">
        <div className="mb-2 grid grid-cols-4 gap-1" role="radiogroup" aria-label="Estimator">
          {ESTIMATOR_ORDER.map((e: EstimatorKind) => (
            <button
              key={e}
              type="button"
              role="radio"
              aria-checked={config.estimator === e}
              data-testid={`estimator-${e}`}
              onClick={() => set("estimator", e)}
              className={
                "h-7 rounded-md text-xs font-medium " +
                (config.estimator === e
                  ? "bg-indigo-600 text-white"
                  : "border border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800")
              }
            >
              {ESTIMATOR_LABELS[e]}
            </button>
          ))}
        </div>
        <Knob label="γ" hint="discount (GTPO, hybrid)">
          <NumberField label="gamma" testId="knob-gamma" value={config.gamma} min={0} max={1} step={0.05} onChange={(v) => v !== null && set("gamma", v)} className="w-16" />
        </Knob>
        <Knob label="λ" hint="outcome weight (hybrid)">
          <NumberField label="lambda" testId="knob-lambda" value={config.lambda} step={0.05} onChange={(v) => v !== null && set("lambda", v)} className="w-16" />
        </Knob>
        <Knob label="ddof" hint="std: 1 = Bessel">
          <NumberField label="ddof" testId="knob-ddof" value={config.ddof} min={0} max={5} step={1} integer onChange={(v) => v !== null && set("ddof", v)} className="w-16" />
        </Knob>
        <Knob label="GN scope" hint="for G">
          <select className={selectCls} value={config.gn_scope} data-testid="knob-gn-scope" onChange={(e) => set("gn_scope", e.target.value as RewardConfig["gn_scope"])}>
            <option value="per_position">per position</option>
            <option value="pooled">pooled</option>
          </select>
        </Knob>
      </Section>
      <Section title="IRC knobs">
        <Knob label="α" hint="suggestion = α·ρ">
          <NumberField label="alpha" testId="knob-alpha" value={config.alpha} step={0.1} onChange={(v) => v !== null && set("alpha", v)} className="w-16" />
        </Knob>
        <Knob label="δ" hint="|ρ| ≤ δ → 0">
          <NumberField label="delta" testId="knob-delta" value={config.delta} min={0} max={1} step={0.01} onChange={(v) => v !== null && set("delta", v)} className="w-16" />
        </Knob>
        <Knob label="η" hint="stop: Corr(r̄,o) > η">
          <NumberField label="eta" testId="knob-eta" value={config.eta} min={-1} max={1} step={0.05} onChange={(v) => v !== null && set("eta", v)} className="w-16" />
        </Knob>
        <Knob label="window" hint="last W rollouts for ρ">
          <NumberField
            label="window"
            testId="knob-window"
            value={config.window}
            min={1}
            step={1}
            integer
            allowEmpty
            placeholder="all"
            onChange={(v) => set("window", v)}
            className="w-16"
          />
        </Knob>
      </Section>
    </div>
  );
});
