import { describe, expect, it } from "vitest";
import { AirlineEnv } from "./airline-env";
import { TAU2_AIRPORTS } from "../airports";
import { hashCanonical } from "../canonical";
import { TAU2_NOW, type FlightDateAvailable } from "../schema";
import { makeFixtureState } from "../testing/fixture";

const base = makeFixtureState();
const fresh = (): AirlineEnv => new AirlineEnv(base);
const ok = (env: AirlineEnv, name: string, args: Record<string, unknown>): unknown => {
  const r = env.call(name, args);
  expect(r.error, r.content).toBe(false);
  return r.value;
};
const err = (env: AirlineEnv, name: string, args: unknown): string => {
  const r = env.call(name, args);
  expect(r.error).toBe(true);
  expect(r.content.startsWith("Error: ")).toBe(true);
  return r.content;
};
const seats = (env: AirlineEnv, no: string, date: string) => (env.getFlight(no)!.dates[date] as FlightDateAvailable).available_seats;
const EMPTY_HASH = hashCanonical({ flights: {}, users: {}, reservations: {} });

const bookArgs = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  user_id: "alice_smith_1000",
  origin: "JFK",
  destination: "LAX",
  flight_type: "one_way",
  cabin: "economy",
  flights: [{ flight_number: "HAT001", date: "2024-05-16" }],
  passengers: [
    { first_name: "Alice", last_name: "Smith", dob: "1980-01-01" },
    { first_name: "Ben", last_name: "Smith", dob: "1982-02-02" },
  ],
  payment_methods: [
    { payment_id: "gift_card_1", amount: 100 },
    { payment_id: "certificate_2", amount: 200 },
    { payment_id: "credit_card_1", amount: 110 },
  ],
  total_baggages: 4,
  nonfree_baggages: 1,
  insurance: "yes",
  ...over,
});

describe("dispatch", () => {
  it("rejects unknown tools, non-object arguments, missing and unexpected keywords", () => {
    const env = fresh();
    expect(err(env, "fly_me", {})).toBe("Error: Tool 'fly_me' not found.");
    expect(err(env, "get_user_details", "not json")).toContain("must be a JSON object");
    expect(err(env, "get_user_details", {})).toBe("Error: AirlineTools.get_user_details() missing 1 required positional argument: 'user_id'");
    expect(err(env, "get_user_details", { user_id: "x", foo: 1 })).toBe("Error: AirlineTools.get_user_details() got an unexpected keyword argument 'foo'");
    expect(err(env, "search_direct_flight", { origin: "JFK" })).toContain("missing 2 required positional arguments: 'destination' and 'date'");
    expect(err(env, "get_user_details", { user_id: 5 })).toContain("must be a string");
  });
});

describe("read tools", () => {
  it("get_user_details returns the profile or fails", () => {
    const env = fresh();
    const r = env.call("get_user_details", { user_id: "alice_smith_1000" });
    expect(JSON.parse(r.content).membership).toBe("gold");
    expect(err(env, "get_user_details", { user_id: "nobody" })).toBe("Error: User nobody not found");
    expect(err(env, "get_user_details", { user_id: "Alice_Smith_1000" })).toBe("Error: User Alice_Smith_1000 not found");
    expect(err(env, "get_user_details", { user_id: "constructor" })).toBe("Error: User constructor not found");
  });

  it("get_reservation_details shows status null when unset, or fails", () => {
    const env = fresh();
    expect(JSON.parse(env.call("get_reservation_details", { reservation_id: "RES001" }).content).status).toBeNull();
    expect(err(env, "get_reservation_details", { reservation_id: "NOPE00" })).toBe("Error: Reservation NOPE00 not found");
  });

  it("list_all_airports gives τ²'s fixed list on a τ²-airport state", () => {
    expect(ok(fresh(), "list_all_airports", {})).toEqual(TAU2_AIRPORTS);
  });

  it("search_direct_flight returns only available dates, with date null", () => {
    const env = fresh();
    const res = ok(env, "search_direct_flight", { origin: "JFK", destination: "LAX", date: "2024-05-16" }) as { flight_number: string; date: null; prices: unknown }[];
    expect(res.map((f) => f.flight_number)).toEqual(["HAT001"]);
    expect(res[0].date).toBeNull();
    expect(res[0].prices).toEqual({ basic_economy: 60, economy: 150, business: 400 });
    expect(ok(env, "search_direct_flight", { origin: "JFK", destination: "LAX", date: "2024-05-15" })).toEqual([]);
    expect(ok(env, "search_direct_flight", { origin: "XXX", destination: "LAX", date: "2024-05-16" })).toEqual([]);
  });

  it("search_onestop_flight: connection must leave at or after arrival; +1 moves to the next day", () => {
    const env = fresh();
    const pairs = ok(env, "search_onestop_flight", { origin: "JFK", destination: "SEA", date: "2024-05-16" }) as { flight_number: string; date: string }[][];
    expect(pairs.map((p) => p.map((f) => `${f.flight_number}@${f.date}`))).toEqual([
      ["HAT003@2024-05-16", "HAT004@2024-05-17"],
      ["HAT005@2024-05-16", "HAT007@2024-05-16"],
    ]);
  });

  it("search_onestop_flight keeps τ²'s unpadded next-day quirk (05-05 + 1 → '2024-05-6')", () => {
    expect(ok(fresh(), "search_onestop_flight", { origin: "JFK", destination: "SEA", date: "2024-05-05" })).toEqual([]);
  });

  it("get_flight_status returns the status string or fails", () => {
    const env = fresh();
    const r = env.call("get_flight_status", { flight_number: "HAT001", date: "2024-05-15" });
    expect(r).toMatchObject({ error: false, content: "flying" });
    expect(err(env, "get_flight_status", { flight_number: "HAT999", date: "2024-05-15" })).toBe("Error: Flight HAT999 not found");
    expect(err(env, "get_flight_status", { flight_number: "HAT001", date: "2024-05-30" })).toBe("Error: Flight HAT001 not found on date 2024-05-30");
  });
});

describe("generic tools", () => {
  it("calculate evaluates and fails like τ²", () => {
    const env = fresh();
    expect(env.call("calculate", { expression: "(150 + 30) * 2" }).content).toBe("360.0");
    expect(err(env, "calculate", { expression: "2 + x" })).toBe("Error: Invalid characters in expression");
    expect(err(env, "calculate", { expression: "1 / 0" })).toBe("Error: division by zero");
  });

  it("transfer_to_human_agents always succeeds and changes nothing", () => {
    const env = fresh();
    expect(env.call("transfer_to_human_agents", { summary: "wants a human" }).content).toBe("Transfer successful");
    expect(env.stateHash()).toBe(EMPTY_HASH);
  });
});

describe("book_reservation", () => {
  it("books: price rule, gift card debited, certificate removed, seats taken, linked to user", () => {
    const env = fresh();
    const r = ok(env, "book_reservation", bookArgs()) as Record<string, unknown>;
    expect(r.reservation_id).toBe("HATHAT");
    expect(r.created_at).toBe(TAU2_NOW);
    expect(r.status).toBeNull();
    expect(r.flights).toEqual([{ origin: "JFK", destination: "LAX", flight_number: "HAT001", date: "2024-05-16", price: 150 }]);
    const user = env.getUser("alice_smith_1000")!;
    expect(user.payment_methods.gift_card_1).toMatchObject({ amount: 0 });
    expect(user.payment_methods.certificate_2).toBeUndefined();
    expect(user.reservations).toEqual(["RES001", "HATHAT"]);
    expect(seats(env, "HAT001", "2024-05-16")).toEqual({ basic_economy: 5, economy: 1, business: 2 });
    // the shared base is untouched
    expect(base.users.alice_smith_1000.payment_methods.certificate_2).toBeDefined();
    expect((base.flights.HAT001.dates["2024-05-16"] as FlightDateAvailable).available_seats.economy).toBe(3);
    expect(Object.keys(env.diff().flights)).toEqual(["HAT001"]);
    expect(Object.keys(env.diff().reservations)).toEqual(["HATHAT"]);
  });

  it("uses HATHAT, HATHAU, HATHAV, then refuses", () => {
    const env = fresh();
    const one = bookArgs({
      cabin: "business",
      flights: [{ flight_number: "HAT002", date: "2024-05-16" }],
      passengers: [{ first_name: "A", last_name: "B", dob: "2000-01-01" }],
      payment_methods: [{ payment_id: "credit_card_1", amount: 300 }],
      total_baggages: 0,
      nonfree_baggages: 0,
      insurance: "no",
    });
    expect((ok(env, "book_reservation", one) as { reservation_id: string }).reservation_id).toBe("HATHAT");
    expect((ok(env, "book_reservation", one) as { reservation_id: string }).reservation_id).toBe("HATHAU");
    expect((ok(env, "book_reservation", one) as { reservation_id: string }).reservation_id).toBe("HATHAV");
    expect(err(env, "book_reservation", one)).toBe("Error: Too many reservations");
    expect(seats(env, "HAT002", "2024-05-16").business).toBe(1);
  });

  it("raises each of τ²'s booking errors without changing state", () => {
    const env = fresh();
    const cases: [Record<string, unknown>, string][] = [
      [{ user_id: "nobody" }, "Error: User nobody not found"],
      [{ flights: [{ flight_number: "HAT999", date: "2024-05-16" }] }, "Error: Flight HAT999 not found"],
      [{ flights: [{ flight_number: "HAT001", date: "2024-05-30" }] }, "Error: Flight HAT001 not found on date 2024-05-30"],
      [{ flights: [{ flight_number: "HAT001", date: "2024-05-15" }] }, "Error: Flight HAT001 not available on date 2024-05-15"],
      [{ cabin: "basic_economy", flights: [{ flight_number: "HAT001", date: "2024-05-17" }] }, "Error: Not enough seats on flight HAT001"],
      [{ payment_methods: [{ payment_id: "gift_card_9", amount: 410 }] }, "Error: Payment method gift_card_9 not found"],
      [{ payment_methods: [{ payment_id: "gift_card_1", amount: 150 }, { payment_id: "credit_card_1", amount: 260 }] }, "Error: Not enough balance in payment method gift_card_1"],
      [{ payment_methods: [{ payment_id: "certificate_1", amount: 60 }, { payment_id: "credit_card_1", amount: 350 }] }, "Error: Not enough balance in payment method certificate_1"],
      [{ payment_methods: [{ payment_id: "credit_card_1", amount: 409 }] }, "Error: Payment amount does not add up, total price is 410, but paid 409"],
    ];
    for (const [over, msg] of cases) expect(err(env, "book_reservation", bookArgs(over))).toBe(msg);
    // pydantic's full wording for the nested models: see "pydantic validation errors" below.
    expect(err(env, "book_reservation", bookArgs({ payment_methods: [{ payment_id: "credit_card_1", amount: 409.5 }] }))).toBe(
      "Error: 1 validation error for Payment\namount\n  Input should be a valid integer, got a number with a fractional part [type=int_from_float, input_value=409.5, input_type=float]\n" +
        "    For further information visit https://errors.pydantic.dev/2.12/v/int_from_float",
    );
    expect(err(env, "book_reservation", bookArgs({ passengers: [{ first_name: "A", last_name: "B" }] }))).toBe(
      "Error: 1 validation error for Passenger\ndob\n  Field required [type=missing, input_value={'first_name': 'A', 'last_name': 'B'}, input_type=dict]\n" +
        "    For further information visit https://errors.pydantic.dev/2.12/v/missing",
    );
    expect(err(env, "book_reservation", bookArgs({ flights: [{ flight_number: "HAT001" }] }))).toBe(
      "Error: 1 validation error for FlightInfo\ndate\n  Field required [type=missing, input_value={'flight_number': 'HAT001'}, input_type=dict]\n" +
        "    For further information visit https://errors.pydantic.dev/2.12/v/missing",
    );
    expect(err(env, "book_reservation", bookArgs({ cabin: "first" }))).toContain("validation error for Reservation\ncabin");
    expect(err(env, "book_reservation", bookArgs({ insurance: "maybe" }))).toContain("validation error for Reservation\ninsurance");
    expect(err(env, "book_reservation", { user_id: "alice_smith_1000" })).toContain("missing 10 required positional arguments");
    expect(env.stateHash()).toBe(EMPTY_HASH);
  });

  it("accepts 410.0 and '410' as the int 410 (pydantic lax int) and does not enforce policy limits", () => {
    const env = fresh();
    ok(env, "book_reservation", bookArgs({ payment_methods: [{ payment_id: "credit_card_1", amount: 410.0 }] }));
    const six = Array.from({ length: 6 }, (_, i) => ({ first_name: `P${i}`, last_name: "X", dob: "1990-01-01" }));
    ok(env, "book_reservation", bookArgs({ cabin: "business", flights: [{ flight_number: "HAT001", date: "2024-05-17" }], passengers: six, nonfree_baggages: 0, insurance: "no", payment_methods: [{ payment_id: "credit_card_1", amount: "2460" }] }));
  });

  it("a certificate listed twice fails after the first deduction, as in τ²", () => {
    const env = fresh();
    const msg = err(env, "book_reservation", bookArgs({
      cabin: "basic_economy",
      flights: [{ flight_number: "HAT002", date: "2024-05-16" }],
      passengers: [{ first_name: "A", last_name: "B", dob: "2000-01-01" }],
      payment_methods: [{ payment_id: "certificate_1", amount: 50 }, { payment_id: "certificate_1", amount: 5 }],
      total_baggages: 0,
      nonfree_baggages: 0,
      insurance: "no",
    }));
    expect(msg).toBe("Error: 'certificate_1'");
    expect(env.getUser("alice_smith_1000")!.payment_methods.certificate_1).toBeUndefined();
    expect(env.getReservation("HATHAT")).toBeUndefined();
  });
});

describe("cancel_reservation", () => {
  it("refunds every payment, marks cancelled, keeps seats, and does not check eligibility", () => {
    const env = fresh();
    const r = ok(env, "cancel_reservation", { reservation_id: "RES002" }) as Record<string, unknown>;
    expect(r.status).toBe("cancelled");
    expect(r.payment_history).toEqual([{ payment_id: "credit_card_2", amount: 60 }, { payment_id: "credit_card_2", amount: -60 }]);
    expect(seats(env, "HAT001", "2024-05-16").basic_economy).toBe(5);
    expect(Object.keys(env.diff().reservations)).toEqual(["RES002"]);
    expect(err(env, "cancel_reservation", { reservation_id: "NOPE00" })).toBe("Error: Reservation NOPE00 not found");
  });
});

describe("update_reservation_flights", () => {
  it("kept segments keep their price, new ones are priced now; a refund goes back to the gift card", () => {
    const env = fresh();
    const r = ok(env, "update_reservation_flights", {
      reservation_id: "RES001",
      cabin: "economy",
      flights: [{ flight_number: "HAT001", date: "2024-05-16" }, { flight_number: "HAT002", date: "2024-05-16" }],
      payment_id: "gift_card_1",
    }) as Record<string, unknown>;
    expect(r.flights).toEqual([
      { origin: "JFK", destination: "LAX", flight_number: "HAT001", date: "2024-05-16", price: 150 },
      { flight_number: "HAT002", date: "2024-05-16", price: 120, origin: "LAX", destination: "JFK" },
    ]);
    expect(r.payment_history).toEqual([{ payment_id: "credit_card_1", amount: 640 }, { payment_id: "gift_card_1", amount: -40 }]);
    expect(env.getUser("alice_smith_1000")!.payment_methods.gift_card_1).toMatchObject({ amount: 140 });
    expect(seats(env, "HAT002", "2024-05-16").economy).toBe(4);
  });

  it("a cabin change reprices every segment and charges the difference", () => {
    const env = fresh();
    const flights = [{ flight_number: "HAT001", date: "2024-05-16" }, { flight_number: "HAT002", date: "2024-05-20" }];
    const r = ok(env, "update_reservation_flights", { reservation_id: "RES001", cabin: "business", flights, payment_id: "credit_card_1" }) as Record<string, unknown>;
    expect(r.cabin).toBe("business");
    expect((r.payment_history as unknown[])[1]).toEqual({ payment_id: "credit_card_1", amount: 860 });
  });

  it("does not stop basic economy changes (policy, not tool)", () => {
    const env = fresh();
    ok(env, "update_reservation_flights", { reservation_id: "RES002", cabin: "basic_economy", flights: [{ flight_number: "HAT002", date: "2024-05-16" }], payment_id: "credit_card_2" });
    expect(env.getReservation("RES002")!.payment_history.at(-1)).toEqual({ payment_id: "credit_card_2", amount: -5 });
  });

  it("raises each of τ²'s errors", () => {
    const env = fresh();
    const keep = [{ flight_number: "HAT001", date: "2024-05-16" }, { flight_number: "HAT002", date: "2024-05-20" }];
    const call = (over: Record<string, unknown>) => err(env, "update_reservation_flights", { reservation_id: "RES001", cabin: "economy", flights: keep, payment_id: "credit_card_1", ...over });
    expect(call({ reservation_id: "NOPE00" })).toBe("Error: Reservation NOPE00 not found");
    expect(call({ payment_id: "credit_card_9" })).toBe("Error: Payment method not found");
    expect(call({ payment_id: "certificate_2" })).toBe("Error: Certificate cannot be used to update reservation");
    expect(call({ cabin: "business", payment_id: "gift_card_1" })).toBe("Error: Gift card balance is not enough");
    expect(call({ flights: [{ flight_number: "HAT001", date: "2024-05-18" }] })).toBe("Error: Flight HAT001 not available on date 2024-05-18");
    expect(call({ cabin: "basic_economy", flights: [{ flight_number: "HAT001", date: "2024-05-17" }] })).toBe("Error: Not enough seats on flight HAT001");
    expect(call({ flights: [{ flight_number: "HAT999", date: "2024-05-16" }] })).toBe("Error: Flight HAT999 not found");
    expect(call({ flights: [{ flight_number: "HAT001", date: "2024-05-29" }] })).toBe("Error: Flight HAT001 not found on date 2024-05-29");
    expect(env.stateHash()).toBe(EMPTY_HASH);
  });
});

describe("update_reservation_baggages", () => {
  it("charges $50 per added non-free bag; no payment line when nothing is due", () => {
    const env = fresh();
    ok(env, "update_reservation_baggages", { reservation_id: "RES001", total_baggages: 3, nonfree_baggages: 2, payment_id: "credit_card_1" });
    let r = env.getReservation("RES001")!;
    expect(r.payment_history.at(-1)).toEqual({ payment_id: "credit_card_1", amount: 100 });
    expect([r.total_baggages, r.nonfree_baggages]).toEqual([3, 2]);
    ok(env, "update_reservation_baggages", { reservation_id: "RES001", total_baggages: 4, nonfree_baggages: 1, payment_id: "credit_card_1" });
    r = env.getReservation("RES001")!;
    expect(r.payment_history).toHaveLength(2);
    expect(r.nonfree_baggages).toBe(1);
  });

  it("raises τ²'s errors (certificate refused even when nothing is due)", () => {
    const env = fresh();
    const call = (over: Record<string, unknown>) => err(env, "update_reservation_baggages", { reservation_id: "RES001", total_baggages: 2, nonfree_baggages: 0, payment_id: "credit_card_1", ...over });
    expect(call({ payment_id: "certificate_1" })).toBe("Error: Certificate cannot be used to update reservation");
    expect(call({ payment_id: "nope" })).toBe("Error: Payment method not found");
    expect(call({ nonfree_baggages: 3, payment_id: "gift_card_1" })).toBe("Error: Gift card balance is not enough");
    expect(call({ reservation_id: "NOPE00" })).toBe("Error: Reservation NOPE00 not found");
    expect(call({ total_baggages: "many" })).toContain("must be an integer");
  });
});

describe("update_reservation_passengers", () => {
  it("replaces passengers, keeping the count", () => {
    const env = fresh();
    const pax = [{ first_name: "Carl", last_name: "Doe", dob: "1990-09-09", seat: "12A" }];
    const r = ok(env, "update_reservation_passengers", { reservation_id: "RES002", passengers: pax }) as Record<string, unknown>;
    expect(r.passengers).toEqual([{ first_name: "Carl", last_name: "Doe", dob: "1990-09-09" }]);
    expect(err(env, "update_reservation_passengers", { reservation_id: "RES002", passengers: [] })).toBe("Error: Number of passengers does not match");
    expect(err(env, "update_reservation_passengers", { reservation_id: "NOPE00", passengers: pax })).toBe("Error: Reservation NOPE00 not found");
  });
});

describe("send_certificate", () => {
  it("issues certificate_3221322, _323, _324 per user, then refuses", () => {
    const env = fresh();
    expect(env.call("send_certificate", { user_id: "alice_smith_1000", amount: 150 }).content).toBe(
      "Certificate certificate_3221322 added to user alice_smith_1000 with amount 150.",
    );
    ok(env, "send_certificate", { user_id: "alice_smith_1000", amount: 50 });
    ok(env, "send_certificate", { user_id: "alice_smith_1000", amount: 50 });
    expect(err(env, "send_certificate", { user_id: "alice_smith_1000", amount: 50 })).toBe("Error: Too many certificates");
    expect(env.getUser("alice_smith_1000")!.payment_methods.certificate_3221322).toEqual({ source: "certificate", id: "certificate_3221322", amount: 150 });
    expect(env.call("send_certificate", { user_id: "bob_jones_2000", amount: 100 }).content).toContain("certificate_3221322");
    expect(err(env, "send_certificate", { user_id: "nobody", amount: 100 })).toBe("Error: User nobody not found");
  });
});

describe("copy-on-write diff and hash", () => {
  it("a fresh env hashes the empty diff; values returned earlier are stable snapshots", () => {
    const env = fresh();
    expect(env.stateHash()).toBe(EMPTY_HASH);
    const before = env.call("get_reservation_details", { reservation_id: "RES001" }).value as { payment_history: unknown[] };
    ok(env, "update_reservation_baggages", { reservation_id: "RES001", total_baggages: 3, nonfree_baggages: 2, payment_id: "credit_card_1" });
    expect(before.payment_history).toHaveLength(1);
  });

  it("independent writes in either order reach the same hash; a no-op write leaves the hash unchanged", () => {
    const a = fresh();
    const b = fresh();
    const w1: [string, Record<string, unknown>] = ["cancel_reservation", { reservation_id: "RES002" }];
    const w2: [string, Record<string, unknown>] = ["send_certificate", { user_id: "alice_smith_1000", amount: 100 }];
    a.call(...w1);
    a.call(...w2);
    b.call(...w2);
    b.call(...w1);
    expect(a.stateHash()).toBe(b.stateHash());
    expect(a.stateHash()).not.toBe(EMPTY_HASH);

    const c = fresh();
    ok(c, "update_reservation_passengers", { reservation_id: "RES002", passengers: base.reservations.RES002.passengers });
    expect(c.stateHash()).toBe(EMPTY_HASH);
  });

  it("different end states give different hashes", () => {
    const a = fresh();
    const b = fresh();
    a.call("send_certificate", { user_id: "alice_smith_1000", amount: 100 });
    b.call("send_certificate", { user_id: "alice_smith_1000", amount: 150 });
    expect(a.stateHash()).not.toBe(b.stateHash());
  });
});

/**
 * τ² builds Payment / Passenger / FlightInfo with pydantic from the dicts the agent sends and
 * records str(ValidationError). The expected texts below are copied from recorded τ² runs
 * (gpt-oss-120b and whissle airline results, pydantic 2.12), so a replay of those runs
 * compares equal (lib/rollouts/compare-tool-outputs.ts).
 */
describe("pydantic validation errors of book_reservation's nested models (τ²'s recorded wording)", () => {
  const URL = "    For further information visit https://errors.pydantic.dev/2.12/v/";
  const missing = (field: string, input: string) => `${field}\n  Field required [type=missing, input_value=${input}, input_type=dict]\n${URL}missing`;
  const book = (over: Record<string, unknown>) => err(fresh(), "book_reservation", bookArgs(over));

  it("lists every missing field of a Payment, with the dict's repr shortened as pydantic does", () => {
    // gpt-oss-120b task 8: {"type": "certificate", "id": "certificate_8045380"} lacks both fields.
    const input = "{'type': 'certificate', '...: 'certificate_8045380'}";
    expect(book({ payment_methods: [{ type: "certificate", id: "certificate_8045380" }] })).toBe(
      `Error: 2 validation errors for Payment\n${missing("payment_id", input)}\n${missing("amount", input)}`,
    );
  });

  it("names a missing payment_id with the (shortened) dict", () => {
    // gpt-oss-120b task 20.
    expect(book({ payment_methods: [{ id: "certificate_7504069", type: "certificate", amount: 250 }] })).toBe(
      `Error: 1 validation error for Payment\n${missing("payment_id", "{'id': 'certificate_75040...ificate', 'amount': 250}")}`,
    );
  });

  it("names a missing amount with the whole dict when its repr is 50 characters or less", () => {
    // gpt-oss-120b task 42.
    expect(book({ payment_methods: [{ payment_id: "credit_card_1402274" }] })).toBe(
      `Error: 1 validation error for Payment\n${missing("amount", "{'payment_id': 'credit_card_1402274'}")}`,
    );
  });

  it("names a Passenger's missing dob", () => {
    // whissle task 20: date_of_birth instead of dob.
    expect(book({ passengers: [{ date_of_birth: "1990-04-05", first_name: "Mia", last_name: "Li" }] })).toBe(
      `Error: 1 validation error for Passenger\n${missing("dob", "{'date_of_birth': '1990-0...Mia', 'last_name': 'Li'}")}`,
    );
  });

  it("reports type errors with the field's value and Python type", () => {
    expect(book({ passengers: [{ first_name: "A", last_name: 7, dob: null }] })).toBe(
      "Error: 2 validation errors for Passenger\n" +
        `last_name\n  Input should be a valid string [type=string_type, input_value=7, input_type=int]\n${URL}string_type\n` +
        `dob\n  Input should be a valid string [type=string_type, input_value=None, input_type=NoneType]\n${URL}string_type`,
    );
    expect(book({ payment_methods: [{ payment_id: "credit_card_1", amount: "ten" }] })).toBe(
      "Error: 1 validation error for Payment\n" +
        `amount\n  Input should be a valid integer, unable to parse string as an integer [type=int_parsing, input_value='ten', input_type=str]\n${URL}int_parsing`,
    );
    expect(book({ payment_methods: [{ payment_id: "credit_card_1", amount: [1] }] })).toBe(
      `Error: 1 validation error for Payment\namount\n  Input should be a valid integer [type=int_type, input_value=[1], input_type=list]\n${URL}int_type`,
    );
  });
});
