/**
 * Airport lists. TAU2_AIRPORTS is what τ²'s list_all_airports returns (a fixed list of 20
 * real airports, including its "LaGuardia" city label). AIRPORTS is the project's own set
 * for the generated state: 20 airports chosen so that several cities have more than one
 * airport (flexible-origin tasks: "any New York airport").
 */
export interface Airport {
  iata: string;
  city: string;
  /** The metropolitan area; several airports share one (e.g. "New York"). */
  metro: string;
}

export const TAU2_AIRPORTS: { iata: string; city: string }[] = [
  ["SFO", "San Francisco"], ["JFK", "New York"], ["LAX", "Los Angeles"], ["ORD", "Chicago"],
  ["DFW", "Dallas"], ["DEN", "Denver"], ["SEA", "Seattle"], ["ATL", "Atlanta"], ["MIA", "Miami"],
  ["BOS", "Boston"], ["PHX", "Phoenix"], ["IAH", "Houston"], ["LAS", "Las Vegas"], ["MCO", "Orlando"],
  ["EWR", "Newark"], ["CLT", "Charlotte"], ["MSP", "Minneapolis"], ["DTW", "Detroit"],
  ["PHL", "Philadelphia"], ["LGA", "LaGuardia"],
].map(([iata, city]) => ({ iata, city }));

export const AIRPORTS: Airport[] = [
  { iata: "JFK", city: "New York", metro: "New York" },
  { iata: "LGA", city: "New York", metro: "New York" },
  { iata: "EWR", city: "Newark", metro: "New York" },
  { iata: "ORD", city: "Chicago", metro: "Chicago" },
  { iata: "MDW", city: "Chicago", metro: "Chicago" },
  { iata: "IAD", city: "Washington", metro: "Washington" },
  { iata: "DCA", city: "Washington", metro: "Washington" },
  { iata: "SFO", city: "San Francisco", metro: "San Francisco Bay Area" },
  { iata: "OAK", city: "Oakland", metro: "San Francisco Bay Area" },
  { iata: "DFW", city: "Dallas", metro: "Dallas" },
  { iata: "DAL", city: "Dallas", metro: "Dallas" },
  { iata: "IAH", city: "Houston", metro: "Houston" },
  { iata: "HOU", city: "Houston", metro: "Houston" },
  { iata: "MIA", city: "Miami", metro: "Miami" },
  { iata: "FLL", city: "Fort Lauderdale", metro: "Miami" },
  { iata: "LAX", city: "Los Angeles", metro: "Los Angeles" },
  { iata: "SEA", city: "Seattle", metro: "Seattle" },
  { iata: "DEN", city: "Denver", metro: "Denver" },
  { iata: "ATL", city: "Atlanta", metro: "Atlanta" },
  { iata: "BOS", city: "Boston", metro: "Boston" },
];

/** Metro area → its airports, for every area with two or more (project airports, plus τ²'s New York trio). */
export const METRO_AREAS: Record<string, string[]> = (() => {
  const out: Record<string, string[]> = {};
  for (const a of AIRPORTS) (out[a.metro] ??= []).push(a.iata);
  for (const k of Object.keys(out)) if (out[k].length < 2) delete out[k];
  return out;
})();

/**
 * The airport list list_all_airports shows for a state: τ²'s fixed list when every airport
 * the state's flights use is on it (the τ² database), else the project's list restricted
 * to the airports in use.
 */
export function airportsForState(flightAirports: Iterable<string>): { iata: string; city: string }[] {
  const used = new Set(flightAirports);
  const tau2 = new Set(TAU2_AIRPORTS.map((a) => a.iata));
  if ([...used].every((c) => tau2.has(c))) return TAU2_AIRPORTS;
  const known = AIRPORTS.filter((a) => used.has(a.iata)).map(({ iata, city }) => ({ iata, city }));
  const knownSet = new Set(known.map((a) => a.iata));
  const rest = [...used].filter((c) => !knownSet.has(c)).sort().map((c) => ({ iata: c, city: c }));
  return [...known, ...rest];
}
