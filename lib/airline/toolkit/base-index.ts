/**
 * Per-base lookup structures the read tools need (flights by origin, the airport list,
 * one-stop search origins), built once per base state and kept in a WeakMap keyed by the
 * base object, so they live exactly as long as the base does.
 */
import { airportsForState } from "../airports";
import type { AirlineState } from "../schema";

export interface BaseIndex {
  flightsByOrigin: Map<string, string[]>;
  airports: { iata: string; city: string }[];
  /** Per origin, the origins a one-stop search from it reads flights of (itself and every first-leg destination); filled lazily. */
  onestopOrigins: Map<string, Set<string>>;
}
const indexCache = new WeakMap<AirlineState, BaseIndex>();

export function indexFor(base: AirlineState): BaseIndex {
  let idx = indexCache.get(base);
  if (!idx) {
    const flightsByOrigin = new Map<string, string[]>();
    const codes = new Set<string>();
    for (const [no, f] of Object.entries(base.flights)) {
      let list = flightsByOrigin.get(f.origin);
      if (!list) flightsByOrigin.set(f.origin, (list = []));
      list.push(no);
      codes.add(f.origin);
      codes.add(f.destination);
    }
    idx = { flightsByOrigin, airports: airportsForState(codes), onestopOrigins: new Map() };
    indexCache.set(base, idx);
  }
  return idx;
}

/** The origins whose flights searchOnestop(origin, …) reads: the origin and every destination served from it. */
export function onestopOrigins(base: AirlineState, origin: string): ReadonlySet<string> {
  const idx = indexFor(base);
  let set = idx.onestopOrigins.get(origin);
  if (!set) {
    set = new Set([origin]);
    for (const no of idx.flightsByOrigin.get(origin) ?? []) set.add(base.flights[no].destination);
    idx.onestopOrigins.set(origin, set);
  }
  return set;
}
