/**
 * Why an agent turn has its tier: the evidence behind the classification (pure; no I/O).
 *
 * The tier itself is never decided here: it comes from classifyRollout + the precedence
 * (lib/rewards) through computeTurnValues (lib/analysis), exactly as the workbench and the RL
 * export compute it. This module only walks the same calls with the same normalisation
 * (normalizeJson / canonicalJson under the config's deep-equal options, the same gold-matching
 * mode and tool lists) to name what the classifier saw: the gold action a call equals, the
 * arguments a near miss got wrong, the error text, the earlier identical call.
 */
import { canonicalJson, extractTurns, normalizeJson, type GoldAction, type RewardConfig, type TierName } from "../rewards";
import type { Message } from "../types/messages";

export interface ArgDifference {
  /** Argument name of the gold action (or of the call, for an extra argument). */
  arg: string;
  /** Canonical JSON of the call's normalised value; null when the call lacks the argument. */
  call: string | null;
  /** Canonical JSON of the gold value; null for an argument the gold action does not have. */
  gold: string | null;
}

export interface TurnReason {
  /** The tier this reason explains. */
  tier: TierName;
  /** One or two plain sentences for the tooltip. */
  text: string;
  /** The call the reason is about ("name(args)"), null for a text-only turn. */
  call: string | null;
  /** Gold action the call matched (gold) or nearly matched (soft), 0-based in the task's list. */
  gold_index: number | null;
  gold: GoldAction | null;
  /** Deep-equal normalisations switched on (gold and soft). */
  options: string[];
  /** Soft: matched / total gold arguments, and the arguments that differ. */
  soft_fraction: number | null;
  differs: ArgDifference[];
  /** Error: the tool's error text, the unparsable arguments, or "unknown tool". */
  error: string | null;
  /** Duplicate: agent-turn index (0-based) of the earlier identical call. */
  earlier_turn: number | null;
}

interface CallEvidence {
  name: string;
  label: string;
  raw: boolean;
  goldHit: number;
  soft: { index: number; fraction: number } | null;
  known: boolean;
  toolError: string | null;
  rawArgs: string | null;
  normArgs: Record<string, unknown>;
  dupOf: number | null;
  isRead: boolean;
  isWrite: boolean;
  isGeneric: boolean;
}

const OPTION_LABELS: Record<keyof RewardConfig["deep_equal"], string> = {
  sort_lists: "lists of objects sorted",
  coerce_numeric_strings: "numeric strings coerced",
  drop_empty: "empty values dropped",
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const clip = (s: string, n = 240) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

/**
 * One reason per agent turn (in extractTurns order, the RL export's turn index), given the tier
 * each turn was assigned. `gold` is the task's gold action list the classifier used.
 */
export function explainTurns(
  messages: readonly Message[],
  gold: readonly GoldAction[],
  config: Pick<RewardConfig, "deep_equal" | "gold_matching" | "read_tools" | "write_tools" | "generic_tools">,
  tiers: readonly TierName[],
): TurnReason[] {
  const de = config.deep_equal;
  const reads = new Set(config.read_tools);
  const writes = new Set(config.write_tools);
  const generics = new Set(config.generic_tools);
  const onceOnly = config.gold_matching === "unmatched_once";
  const prepared = gold.map((g) => {
    const norm = normalizeJson(g.arguments ?? {}, de);
    const argKeys = new Map<string, string>();
    if (isRecord(norm)) for (const [k, v] of Object.entries(norm)) argKeys.set(k, canonicalJson(v));
    return { name: g.name, key: canonicalJson(norm), argKeys, matched: false };
  });
  const options = (Object.keys(OPTION_LABELS) as (keyof typeof OPTION_LABELS)[]).filter((k) => de[k]).map((k) => OPTION_LABELS[k]);
  const toolText = new Map<string, string>();
  for (const m of messages) if (m.role === "tool" && m.error) toolText.set(m.tool_call_id, m.content);
  const firstSeen = new Map<string, number>();

  const turns = extractTurns(messages);
  return turns.map((turn, k) => {
    const evidence: CallEvidence[] = turn.calls.map((call) => {
      const raw = typeof call.arguments === "string";
      let argsKey: string;
      let normArgs: Record<string, unknown> = {};
      let goldHit = -1;
      let soft: CallEvidence["soft"] = null;
      if (raw) {
        argsKey = "raw:" + JSON.stringify(call.arguments);
      } else {
        const norm = normalizeJson(call.arguments, de);
        normArgs = isRecord(norm) ? norm : {};
        argsKey = canonicalJson(norm);
        for (let g = 0; g < prepared.length; g++) {
          const cand = prepared[g];
          if (cand.name !== call.name || (onceOnly && cand.matched)) continue;
          if (cand.key === argsKey) {
            goldHit = g;
            break;
          }
        }
        if (goldHit >= 0) {
          if (onceOnly) prepared[goldHit].matched = true;
        } else {
          prepared.forEach((cand, g) => {
            if (cand.name !== call.name || (onceOnly && cand.matched) || cand.argKeys.size === 0) return;
            let hit = 0;
            for (const [a, v] of cand.argKeys) if (a in normArgs && canonicalJson(normArgs[a]) === v) hit++;
            const f = hit / cand.argKeys.size;
            if (f > 0 && (!soft || f > soft.fraction)) soft = { index: g, fraction: f };
          });
        }
      }
      const dupKey = call.name + "\u0000" + argsKey;
      const dupOf = firstSeen.get(dupKey) ?? null;
      if (dupOf === null) firstSeen.set(dupKey, k);
      return {
        name: call.name,
        label: `${call.name}(${raw ? String(call.arguments) : argsKey})`,
        raw,
        goldHit,
        soft,
        known: reads.has(call.name) || writes.has(call.name) || generics.has(call.name),
        toolError: call.toolError ? (toolText.get(call.id) ?? "") : null,
        rawArgs: raw ? String(call.arguments) : null,
        normArgs,
        dupOf,
        isRead: reads.has(call.name),
        isWrite: writes.has(call.name),
        isGeneric: generics.has(call.name),
      };
    });
    return reasonFor(tiers[k] ?? "message", evidence, gold, prepared, options);
  });
}

function blank(tier: TierName, text: string, call: string | null): TurnReason {
  return { tier, text, call, gold_index: null, gold: null, options: [], soft_fraction: null, differs: [], error: null, earlier_turn: null };
}

function reasonFor(
  tier: TierName,
  calls: CallEvidence[],
  gold: readonly GoldAction[],
  prepared: { argKeys: Map<string, string> }[],
  options: string[],
): TurnReason {
  const opts = options.length ? options.join(", ") : "exact comparison, no normalisation";
  switch (tier) {
    case "gold": {
      const c = calls.find((x) => x.goldHit >= 0);
      if (!c) break;
      const g = gold[c.goldHit];
      return {
        ...blank(tier, `${c.name} equals gold action #${c.goldHit + 1} (${g.name}) after normalisation (${opts}).`, c.label),
        gold_index: c.goldHit,
        gold: g,
        options,
      };
    }
    case "soft": {
      const c = calls.filter((x) => x.soft).sort((a, b) => b.soft!.fraction - a.soft!.fraction)[0];
      if (!c || !c.soft) break;
      const g = gold[c.soft.index];
      const keys = prepared[c.soft.index].argKeys;
      const differs: ArgDifference[] = [];
      for (const [a, v] of keys) {
        const mine = a in c.normArgs ? canonicalJson(c.normArgs[a]) : null;
        if (mine !== v) differs.push({ arg: a, call: mine, gold: v });
      }
      for (const a of Object.keys(c.normArgs)) if (!keys.has(a)) differs.push({ arg: a, call: canonicalJson(c.normArgs[a]), gold: null });
      const matched = keys.size - differs.filter((d) => d.gold !== null).length;
      const what = differs
        .slice(0, 4)
        .map((d) => (d.gold === null ? `extra ${d.arg} = ${clip(d.call ?? "", 60)}` : d.call === null ? `${d.arg} missing (gold ${clip(d.gold, 60)})` : `${d.arg} = ${clip(d.call, 60)}, gold ${clip(d.gold, 60)}`))
        .join("; ");
      return {
        ...blank(tier, `Near miss of gold action #${c.soft.index + 1} (${g.name}): ${matched}/${keys.size} arguments match. Differs: ${what || "—"}.`, c.label),
        gold_index: c.soft.index,
        gold: g,
        options,
        soft_fraction: c.soft.fraction,
        differs,
      };
    }
    case "error": {
      const c = calls.find((x) => x.raw) ?? calls.find((x) => x.toolError !== null) ?? calls.find((x) => !x.known);
      if (!c) break;
      const error = c.raw
        ? `arguments are not valid JSON: ${clip(c.rawArgs ?? "", 200)}`
        : c.toolError !== null
          ? c.toolError || "the tool reported an error"
          : `unknown tool "${c.name}" (in none of the read, write or generic tool lists)`;
      const text = c.raw || c.toolError === null ? `${c.name}: ${error}.` : `${c.name} returned an error: ${clip(error)}`;
      return { ...blank(tier, text, c.label), error };
    }
    case "duplicate": {
      const c = calls.find((x) => x.dupOf !== null);
      if (!c || c.dupOf === null) break;
      return { ...blank(tier, `Repeats the identical call made at turn ${c.dupOf + 1}: ${clip(c.label, 160)}.`, c.label), earlier_turn: c.dupOf };
    }
    case "state": {
      const c = calls.find((x) => x.isWrite);
      if (!c) break;
      return blank(tier, `Write tool ${c.name} equal to no gold action (not even a near miss).`, c.label);
    }
    case "read": {
      const c = calls.find((x) => x.isRead);
      if (!c) break;
      return blank(tier, `Read tool ${c.name} equal to no gold action.`, c.label);
    }
    case "message": {
      const c = calls.find((x) => x.isGeneric);
      if (c) return blank(tier, `Generic tool ${c.name} (neither reads nor writes): tiers like a message.`, c.label);
      return blank(tier, "A text reply with no tool call.", null);
    }
  }
  return blank(tier, `Classified ${tier}.`, calls[0]?.label ?? null);
}
