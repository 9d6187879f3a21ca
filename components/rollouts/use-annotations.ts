"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { RolloutAnnotation, TurnChange } from "@/lib/calibration/annotations";
import { annotationQuery, writeConfigParams, type BrowserConfigParams } from "./annotation-params";
import { annotationsQueryOptions } from "@/lib/api-client/rollouts";
import type { CellAnnotation } from "./turn-annotation";

export interface ColumnAnnotations {
  /** Per column (same order as the rollouts shown): annotations keyed by assistant message index. */
  cells: (ReadonlyMap<number, CellAnnotation> | undefined)[];
  /** Per column: the rollout's annotation (strip, return, AO). */
  rollouts: (RolloutAnnotation | undefined)[];
  /** Per column: agent-turn indices that change under the compared config. */
  changed: ReadonlySet<number>[];
}

/**
 * The annotations of the shown rollouts under the URL's config, keyed for the grid, and a
 * setter that puts a new config into the URL (the page re-renders with it).
 */
export function useAnnotations(kind: "groups" | "rollouts", id: string, params: BrowserConfigParams, rolloutIds: readonly string[]) {
  const query = useQuery(annotationsQueryOptions(kind, id, annotationQuery(params)));
  const data = query.data;
  const columns = useMemo((): ColumnAnnotations => {
    const byId = new Map((data?.rollouts ?? []).map((r) => [r.rollout_id, r]));
    const changes = new Map<string, TurnChange>();
    for (const c of data?.compare?.changes ?? []) changes.set(`${c.rollout_id}#${c.turn}`, c);
    const out: ColumnAnnotations = { cells: [], rollouts: [], changed: [] };
    for (const rid of rolloutIds) {
      const r = byId.get(rid);
      out.rollouts.push(r);
      if (!r) {
        out.cells.push(undefined);
        out.changed.push(new Set());
        continue;
      }
      const map = new Map<number, CellAnnotation>();
      const changed = new Set<number>();
      for (const t of r.turns) {
        const change = changes.get(`${rid}#${t.turn}`) ?? null;
        if (change) changed.add(t.turn);
        map.set(t.message_index, { ann: t, change });
      }
      out.cells.push(map);
      out.changed.push(changed);
    }
    return out;
  }, [data, rolloutIds]);

  const router = useRouter();
  const setParams = useCallback(
    (next: BrowserConfigParams) => {
      const url = writeConfigParams(new URL(window.location.href), next);
      router.replace(url.pathname + url.search, { scroll: false });
    },
    [router],
  );
  return { query, columns, setParams };
}
