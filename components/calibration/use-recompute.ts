"use client";

/**
 * The workbench's recompute pacing: the config being edited vs the config last sent to the
 * analysis route (throttled), and whether a pending recompute has lasted long enough to dim the
 * charts.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { RewardConfig } from "@/lib/calibration/api-types";
import { perfNow } from "@/lib/perf";

const RECOMPUTE_MS = 50;
/** Dim the charts only when a recompute takes this long (see useSlowPending). */
const DIM_AFTER_MS = 300;

/**
 * Whether `pending` has lasted DIM_AFTER_MS. Dimming the whole chart column on every edit
 * repainted the full page twice per slider tick (dim, undim) while the next result was on its
 * way; a recompute normally lands well before this, so the column is left alone then.
 */
export function useSlowPending(pending: boolean): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => setSlow(true), DIM_AFTER_MS);
    return () => {
      window.clearTimeout(timer);
      setSlow(false);
    };
  }, [pending]);
  return pending && slow;
}

/**
 * `config` follows every edit; `requestConfig` is what the analysis is asked for. Recompute
 * throttle, driven from the edit itself (not an effect) so the leading edge costs no extra
 * render: a change after ≥ 50 ms of quiet is requested at once; a burst (slider drag) is
 * coalesced and its latest value requested 50 ms after the previous request.
 */
export function useThrottledConfig(initial: RewardConfig) {
  const [config, setConfig] = useState<RewardConfig>(initial);
  const [requestConfig, setRequestConfig] = useState<RewardConfig>(initial);
  const throttle = useRef<{ last: number; timer: number | null; latest: RewardConfig }>({ last: -Infinity, timer: null, latest: initial });
  const edit = useCallback((next: RewardConfig | ((c: RewardConfig) => RewardConfig)) => {
    const t = throttle.current;
    const value = typeof next === "function" ? next(t.latest) : next;
    t.latest = value;
    setConfig(value);
    const wait = t.last + RECOMPUTE_MS - perfNow();
    if (wait <= 0) {
      if (t.timer !== null) window.clearTimeout(t.timer);
      t.timer = null;
      t.last = perfNow();
      setRequestConfig(value);
    } else if (t.timer === null) {
      t.timer = window.setTimeout(() => {
        t.timer = null;
        t.last = perfNow();
        setRequestConfig(t.latest);
      }, wait);
    }
  }, []);
  useEffect(() => () => {
    const t = throttle.current;
    if (t.timer !== null) window.clearTimeout(t.timer);
  }, []);
  return { config, requestConfig, edit };
}
