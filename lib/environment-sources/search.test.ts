import { describe, expect, it } from "vitest";
import { AirlineEnv, getGeneratedState } from "../airline";
import { makeFixtureState } from "../airline/testing/fixture";
import type { Task } from "../types/task";
import {
  flightStatusesByDate,
  paginate,
  reservationsOnFlight,
  searchFlights,
  searchReservations,
  searchUsers,
} from "./search";
import { computeTargetDiff, goldReadPlan } from "./target-diff";

const state = makeFixtureState();

describe("searchUsers", () => {
  it("matches id, full name and email substrings, case-insensitively", () => {
    expect(searchUsers(state, { q: "ALICE" }).items.map((u) => u.user_id)).toEqual(["alice_smith_1000"]);
    expect(searchUsers(state, { q: "bob jones" }).items.map((u) => u.user_id)).toEqual(["bob_jones_2000"]);
    expect(searchUsers(state, { q: "@example.com" }).total).toBe(2);
    expect(searchUsers(state, { q: "2000" }).items[0]).toMatchObject({ name: "Bob Jones", reservations: 1, membership: "regular" });
    expect(searchUsers(state, { q: "nobody" })).toMatchObject({ items: [], total: 0, page: 1, pageCount: 1 });
  });

  it("paginates a large state in id order", () => {
    const big = getGeneratedState();
    const all = Object.keys(big.users).sort();
    const p2 = searchUsers(big, { page: 2, pageSize: 10 });
    expect(p2.total).toBe(all.length);
    expect(p2.items.map((u) => u.user_id)).toEqual(all.slice(10, 20));
    // A page past the end clamps to the last page instead of returning nothing.
    const last = searchUsers(big, { page: 10_000, pageSize: 10 });
    expect(last.page).toBe(last.pageCount);
    expect(last.items.length).toBeGreaterThan(0);
  });
});

describe("searchReservations", () => {
  it("filters by id substring, owner and status", () => {
    expect(searchReservations(state, { q: "res00" }).total).toBe(2);
    expect(searchReservations(state, { user: "bob_jones_2000" }).items.map((r) => r.reservation_id)).toEqual(["RES002"]);
    expect(searchReservations(state, { user: "no_such_user" }).total).toBe(0);
    expect(searchReservations(state, { status: "cancelled" }).total).toBe(0);
    const env = new AirlineEnv(state);
    expect(env.call("cancel_reservation", { reservation_id: "RES002" }).error).toBe(false);
    // The summary reflects status, first date and passenger count.
    const cancelled = { ...state, reservations: { ...state.reservations, RES002: env.getReservation("RES002")! } };
    expect(searchReservations(cancelled, { status: "cancelled" }).items).toEqual([
      expect.objectContaining({ reservation_id: "RES002", status: "cancelled", first_date: "2024-05-16", passengers: 1 }),
    ]);
    expect(searchReservations(cancelled, { status: "active" }).items.map((r) => r.reservation_id)).toEqual(["RES001"]);
  });
});

describe("searchFlights", () => {
  it("filters by route and date, with that date's status", () => {
    const r = searchFlights(state, { origin: "jfk", destination: "LAX", date: "2024-05-18" });
    expect(r.items.map((f) => f.flight_number)).toEqual(["HAT001"]);
    expect(r.items[0].date_status).toMatchObject({ status: "delayed" });
    expect(searchFlights(state, { origin: "JFK", date: "2024-06-30" }).total).toBe(0);
    expect(searchFlights(state, { number: "002" }).items.map((f) => f.flight_number)).toEqual(["HAT002"]);
    expect(searchFlights(state, { origin: "LAX" }).items.every((f) => f.origin === "LAX" && f.date_status === null)).toBe(true);
  });

  it("lists a flight's statuses in date order and the reservations on it", () => {
    expect(flightStatusesByDate(state.flights.HAT001).map((d) => [d.date, d.status.status])).toEqual([
      ["2024-05-14", "landed"],
      ["2024-05-15", "flying"],
      ["2024-05-16", "available"],
      ["2024-05-17", "available"],
      ["2024-05-18", "delayed"],
    ]);
    expect(reservationsOnFlight(state, "HAT001").map((r) => r.reservation_id)).toEqual(["RES001", "RES002"]);
    expect(reservationsOnFlight(state, "HAT002", "2024-05-20").map((r) => r.reservation_id)).toEqual(["RES001"]);
  });
});

describe("paginate", () => {
  it("bounds page size and page", () => {
    const xs = Array.from({ length: 7 }, (_, i) => i);
    expect(paginate(xs, { page: 2, pageSize: 3 })).toEqual({ items: [3, 4, 5], total: 7, page: 2, pageSize: 3, pageCount: 3 });
    expect(paginate(xs, { page: 0, pageSize: 0 })).toMatchObject({ items: [0], page: 1, pageSize: 1 });
  });
});

describe("computeTargetDiff", () => {
  const task: Task = {
    id: "t1",
    user_scenario: { instructions: "cancel" },
    evaluation_criteria: {
      actions: [
        { name: "get_reservation_details", arguments: { reservation_id: "RES002" } },
        { name: "cancel_reservation", arguments: { reservation_id: "RES002" } },
      ],
    },
  };

  it("executes the gold writes and reports changed fields", () => {
    const d = computeTargetDiff(state, task);
    expect(d.writes).toEqual([expect.objectContaining({ name: "cancel_reservation", error: false })]);
    expect(Object.keys(d.diff.reservations)).toEqual(["RES002"]);
    const rec = d.records.find((r) => r.id === "RES002")!;
    expect(rec.added).toBe(false);
    expect(rec.changes.map((c) => c.field)).toEqual(["payment_history", "status"]);
    expect(rec.changes.find((c) => c.field === "status")).toMatchObject({ after: "cancelled" });
    expect(goldReadPlan(task)).toEqual([{ name: "get_reservation_details", arguments: { reservation_id: "RES002" } }]);
  });

  it("splits keyed maps one level: a new certificate is one payment_methods entry", () => {
    const cert: Task = {
      ...task,
      evaluation_criteria: { actions: [{ name: "send_certificate", arguments: { user_id: "bob_jones_2000", amount: 100 } }] },
    };
    const rec = computeTargetDiff(state, cert).records.find((r) => r.kind === "users")!;
    expect(rec.changes).toHaveLength(1);
    expect(rec.changes[0].field).toMatch(/^payment_methods\.certificate_/);
    expect(rec.changes[0]).toMatchObject({ before: undefined, after: { source: "certificate", amount: 100 } });
  });

  it("reports a gold write the state rejects instead of throwing", () => {
    const bad: Task = { ...task, evaluation_criteria: { actions: [{ name: "cancel_reservation", arguments: { reservation_id: "NOPE" } }] } };
    const d = computeTargetDiff(state, bad);
    expect(d.writes[0].error).toBe(true);
    expect(d.records).toEqual([]);
  });
});
