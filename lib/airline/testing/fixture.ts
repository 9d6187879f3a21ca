/** A small hand-made airline state for unit tests (deep-frozen, like real bases). */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { deepFreeze } from "../freeze";
import type { AirlineState, FlightDateStatus } from "../schema";

const avail = (be: number, e: number, b: number, pbe: number, pe: number, pb: number): FlightDateStatus => ({
  status: "available",
  available_seats: { basic_economy: be, economy: e, business: b },
  prices: { basic_economy: pbe, economy: pe, business: pb },
});

export function makeFixtureState(): AirlineState {
  const state: AirlineState = {
    flights: {
      HAT001: {
        flight_number: "HAT001", origin: "JFK", destination: "LAX",
        scheduled_departure_time_est: "08:00:00", scheduled_arrival_time_est: "11:00:00",
        dates: {
          "2024-05-14": { status: "landed", actual_departure_time_est: "2024-05-14T08:05:00", actual_arrival_time_est: "2024-05-14T11:02:00" },
          "2024-05-15": { status: "flying", actual_departure_time_est: "2024-05-15T08:10:00", estimated_arrival_time_est: "2024-05-15T11:10:00" },
          "2024-05-16": avail(5, 3, 2, 60, 150, 400),
          "2024-05-17": avail(0, 10, 10, 70, 160, 410),
          "2024-05-18": { status: "delayed", estimated_departure_time_est: "2024-05-18T09:00:00", estimated_arrival_time_est: "2024-05-18T12:00:00" },
        },
      },
      HAT002: {
        flight_number: "HAT002", origin: "LAX", destination: "JFK",
        scheduled_departure_time_est: "12:00:00", scheduled_arrival_time_est: "20:00:00",
        dates: { "2024-05-16": avail(4, 4, 4, 55, 120, 300), "2024-05-20": avail(4, 4, 4, 65, 140, 320) },
      },
      HAT003: {
        flight_number: "HAT003", origin: "JFK", destination: "ORD",
        scheduled_departure_time_est: "22:00:00", scheduled_arrival_time_est: "01:00:00+1",
        dates: { "2024-05-05": avail(9, 9, 9, 50, 100, 200), "2024-05-16": avail(9, 9, 9, 50, 100, 200) },
      },
      HAT004: {
        flight_number: "HAT004", origin: "ORD", destination: "SEA",
        scheduled_departure_time_est: "02:00:00", scheduled_arrival_time_est: "05:00:00",
        dates: { "2024-05-06": avail(9, 9, 9, 50, 100, 200), "2024-05-17": avail(9, 9, 9, 51, 101, 201) },
      },
      HAT005: {
        flight_number: "HAT005", origin: "JFK", destination: "ORD",
        scheduled_departure_time_est: "06:00:00", scheduled_arrival_time_est: "08:00:00",
        dates: { "2024-05-16": avail(9, 9, 9, 52, 102, 202) },
      },
      HAT006: {
        flight_number: "HAT006", origin: "ORD", destination: "SEA",
        scheduled_departure_time_est: "07:00:00", scheduled_arrival_time_est: "10:00:00",
        dates: { "2024-05-16": avail(9, 9, 9, 53, 103, 203) },
      },
      HAT007: {
        flight_number: "HAT007", origin: "ORD", destination: "SEA",
        scheduled_departure_time_est: "08:00:00", scheduled_arrival_time_est: "11:00:00",
        dates: { "2024-05-16": avail(9, 9, 9, 54, 104, 204), "2024-05-14": { status: "cancelled" } },
      },
    },
    users: {
      alice_smith_1000: {
        user_id: "alice_smith_1000",
        name: { first_name: "Alice", last_name: "Smith" },
        address: { address1: "1 Main Street", address2: null, city: "Austin", country: "USA", state: "TX", zip: "78701" },
        email: "alice@example.com",
        dob: "1980-01-01",
        payment_methods: {
          credit_card_1: { source: "credit_card", id: "credit_card_1", brand: "visa", last_four: "1111" },
          gift_card_1: { source: "gift_card", id: "gift_card_1", amount: 100 },
          certificate_1: { source: "certificate", id: "certificate_1", amount: 50 },
          certificate_2: { source: "certificate", id: "certificate_2", amount: 200 },
        },
        saved_passengers: [{ first_name: "Ben", last_name: "Smith", dob: "1982-02-02" }],
        membership: "gold",
        reservations: ["RES001"],
      },
      bob_jones_2000: {
        user_id: "bob_jones_2000",
        name: { first_name: "Bob", last_name: "Jones" },
        address: { address1: "2 Oak Street", address2: "Apt 3", city: "Boston", country: "USA", state: "MA", zip: "02101" },
        email: "bob@example.com",
        dob: "1975-05-05",
        payment_methods: { credit_card_2: { source: "credit_card", id: "credit_card_2", brand: "mastercard", last_four: "2222" } },
        saved_passengers: [],
        membership: "regular",
        reservations: ["RES002"],
      },
    },
    reservations: {
      RES001: {
        reservation_id: "RES001", user_id: "alice_smith_1000", origin: "JFK", destination: "LAX", flight_type: "round_trip", cabin: "economy",
        flights: [
          { origin: "JFK", destination: "LAX", flight_number: "HAT001", date: "2024-05-16", price: 150 },
          { origin: "LAX", destination: "JFK", flight_number: "HAT002", date: "2024-05-20", price: 140 },
        ],
        passengers: [{ first_name: "Alice", last_name: "Smith", dob: "1980-01-01" }, { first_name: "Ben", last_name: "Smith", dob: "1982-02-02" }],
        payment_history: [{ payment_id: "credit_card_1", amount: 640 }],
        created_at: "2024-05-10T10:00:00", total_baggages: 1, nonfree_baggages: 0, insurance: "yes",
      },
      RES002: {
        reservation_id: "RES002", user_id: "bob_jones_2000", origin: "JFK", destination: "LAX", flight_type: "one_way", cabin: "basic_economy",
        flights: [{ origin: "JFK", destination: "LAX", flight_number: "HAT001", date: "2024-05-16", price: 60 }],
        passengers: [{ first_name: "Bob", last_name: "Jones", dob: "1975-05-05" }],
        payment_history: [{ payment_id: "credit_card_2", amount: 60 }],
        created_at: "2024-05-01T09:00:00", total_baggages: 0, nonfree_baggages: 0, insurance: "no",
      },
    },
  };
  return deepFreeze(state);
}

/**
 * The real τ² airline data for tests: TAU2_TEST_DIR, else `../shared/tau2-airline` beside the
 * checkout (where CI lays it), else the development machine's /work/shared copy. Tests that
 * need it skip with a visible notice when none exists.
 */
export const TAU2_DIR =
  process.env.TAU2_TEST_DIR ??
  [resolve(process.cwd(), "..", "shared", "tau2-airline"), "/work/shared/tau2-airline"].find((d) => existsSync(d)) ??
  resolve(process.cwd(), "..", "shared", "tau2-airline");
