"use client";

import { memo, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { AIRLINE_TOOLS } from "@/lib/airline/tool-schemas";
import { TIER_NAMES } from "@/lib/rewards/tiers";
import { activeFilterCount, type SearchParamKey, type SearchParams } from "@/lib/api-client/search-params";

const TERMINATIONS = ["user_stop", "agent_stop", "max_turns", "too_many_errors", "error"];
const TOOL_NAMES = AIRLINE_TOOLS.map((t) => t.name);

const field = "h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/**
 * The text query and every filter as one form: submitting puts them into the URL (the page
 * re-queries from there), so a search is shareable and the back button steps through searches.
 * Memoised: a result page arriving re-renders the page body, not this form (its props stay the same).
 */
export const SearchFilters = memo(function SearchFilters({ params, onSubmit }: { params: SearchParams; onSubmit: (next: SearchParams) => void }) {
  const [draft, setDraft] = useState<SearchParams>(params);
  const set = (k: SearchParamKey) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value || undefined }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(draft);
  };
  const select = (k: SearchParamKey, label: string, options: readonly string[], labels?: Record<string, string>) => (
    <label className="flex flex-col gap-0.5 text-xs text-zinc-600 dark:text-zinc-400">
      {label}
      <select name={k} value={draft[k] ?? ""} onChange={set(k)} className={field} data-testid={`filter-${k}`}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {labels?.[o] ?? o}
          </option>
        ))}
      </select>
    </label>
  );
  const text = (k: SearchParamKey, label: string, placeholder: string, width = "w-28", list?: string) => (
    <label className="flex flex-col gap-0.5 text-xs text-zinc-600 dark:text-zinc-400">
      {label}
      <input name={k} value={draft[k] ?? ""} onChange={set(k)} placeholder={placeholder} className={`${field} ${width}`} list={list} data-testid={`filter-${k}`} />
    </label>
  );
  const n = activeFilterCount(params);
  return (
    <form onSubmit={submit} className="space-y-3" role="search" aria-label="Search rollouts">
      <div className="flex gap-2">
        <input
          name="q"
          type="search"
          value={draft.q ?? ""}
          onChange={set("q")}
          placeholder='Words in a message or tool call: "payment amount", cancel_reservation, refund*'
          className={`${field} h-9 flex-1 text-base`}
          aria-label="Search text"
          data-testid="search-input"
          autoFocus
        />
        <Button type="submit" variant="primary" data-testid="search-submit">
          Search
        </Button>
        {n > 0 || params.q ? (
          <Button
            onClick={() => {
              const keep = { iteration: params.iteration, c: params.c, estimator: params.estimator };
              setDraft(keep);
              onSubmit(keep);
            }}
          >
            Clear
          </Button>
        ) : null}
      </div>
      <div className="flex flex-wrap items-end gap-3">
        {select("outcome", "Outcome", ["pass", "fail"])}
        {select("termination", "Termination", TERMINATIONS)}
        {select("tier", "Tier present", TIER_NAMES)}
        {select("mismatch", "Misaligned turn", ["1", "0"], { "1": "present", "0": "absent" })}
        {text("tool", "Tool called", "tool name", "w-48", "search-tool-names")}
        <datalist id="search-tool-names">
          {TOOL_NAMES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        {text("w", "W", "writes", "w-16")}
        {text("b", "B", "evidence", "w-16")}
        {text("steps", "Steps (runs)", "10-20", "w-24")}
        {text("preset", "Agent preset", "expert")}
        {text("agent", "Agent", "label or model", "w-40")}
        {text("user", "User", "label or model", "w-32")}
      </div>
    </form>
  );
});
