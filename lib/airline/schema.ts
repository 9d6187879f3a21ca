/**
 * The τ²-bench airline state (flights, users, reservations) as zod schemas; the TS types
 * derive from them. Unknown keys are dropped, as τ²'s pydantic models ignore them.
 */
import { z } from "zod";

/** τ²'s fixed clock: every rollout happens at 2024-05-15 15:00 EST. */
export const TAU2_NOW = "2024-05-15T15:00:00";
export const TODAY = "2024-05-15";

export const CABINS = ["basic_economy", "economy", "business"] as const;
export const cabinSchema = z.enum(CABINS);
export type Cabin = z.infer<typeof cabinSchema>;
export const flightTypeSchema = z.enum(["one_way", "round_trip"]);
export type FlightType = z.infer<typeof flightTypeSchema>;
export const insuranceSchema = z.enum(["yes", "no"]);
export const membershipSchema = z.enum(["regular", "silver", "gold"]);
export type Membership = z.infer<typeof membershipSchema>;

const int = () => z.number().int();
const perCabin = z.object({ basic_economy: int(), economy: int(), business: int() });
export type PerCabin = z.infer<typeof perCabin>;

export const flightDateAvailableSchema = z.object({
  status: z.literal("available"),
  available_seats: perCabin,
  prices: perCabin,
});
export const flightDateLandedSchema = z.object({
  status: z.literal("landed"),
  actual_departure_time_est: z.string(),
  actual_arrival_time_est: z.string(),
});
export const flightDateCancelledSchema = z.object({ status: z.literal("cancelled") });
export const flightDateDelayedSchema = z.object({
  status: z.literal("delayed"),
  estimated_departure_time_est: z.string(),
  estimated_arrival_time_est: z.string(),
});
export const flightDateOnTimeSchema = z.object({
  status: z.literal("on time"),
  estimated_departure_time_est: z.string(),
  estimated_arrival_time_est: z.string(),
});
export const flightDateFlyingSchema = z.object({
  status: z.literal("flying"),
  actual_departure_time_est: z.string(),
  estimated_arrival_time_est: z.string(),
});
export const flightDateStatusSchema = z.discriminatedUnion("status", [
  flightDateAvailableSchema,
  flightDateLandedSchema,
  flightDateCancelledSchema,
  flightDateDelayedSchema,
  flightDateOnTimeSchema,
  flightDateFlyingSchema,
]);
export type FlightDateStatus = z.infer<typeof flightDateStatusSchema>;
export type FlightDateAvailable = z.infer<typeof flightDateAvailableSchema>;
export type FlightStatusName = FlightDateStatus["status"];

export const flightSchema = z.object({
  flight_number: z.string(),
  origin: z.string(),
  destination: z.string(),
  scheduled_departure_time_est: z.string(),
  scheduled_arrival_time_est: z.string(),
  dates: z.record(z.string(), flightDateStatusSchema),
});
export type Flight = z.infer<typeof flightSchema>;

export const nameSchema = z.object({ first_name: z.string(), last_name: z.string() });
export const addressSchema = z.object({
  address1: z.string(),
  address2: z.string().nullable().optional(),
  city: z.string(),
  country: z.string(),
  state: z.string(),
  zip: z.string(),
});
export const passengerSchema = z.object({ first_name: z.string(), last_name: z.string(), dob: z.string() });
export type Passenger = z.infer<typeof passengerSchema>;

export const creditCardSchema = z.object({
  source: z.literal("credit_card"),
  id: z.string(),
  brand: z.string(),
  last_four: z.string(),
});
export const giftCardSchema = z.object({ source: z.literal("gift_card"), id: z.string(), amount: z.number() });
export const certificateSchema = z.object({ source: z.literal("certificate"), id: z.string(), amount: z.number() });
export const paymentMethodSchema = z.discriminatedUnion("source", [creditCardSchema, giftCardSchema, certificateSchema]);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

export const userSchema = z.object({
  user_id: z.string(),
  name: nameSchema,
  address: addressSchema,
  email: z.string(),
  dob: z.string(),
  payment_methods: z.record(z.string(), paymentMethodSchema),
  saved_passengers: z.array(passengerSchema),
  membership: membershipSchema,
  reservations: z.array(z.string()),
});
export type User = z.infer<typeof userSchema>;

export const paymentSchema = z.object({ payment_id: z.string(), amount: z.number() });
export type Payment = z.infer<typeof paymentSchema>;
export const reservationFlightSchema = z.object({
  origin: z.string(),
  destination: z.string(),
  flight_number: z.string(),
  date: z.string(),
  price: z.number(),
});
export type ReservationFlight = z.infer<typeof reservationFlightSchema>;

export const reservationSchema = z.object({
  reservation_id: z.string(),
  user_id: z.string(),
  origin: z.string(),
  destination: z.string(),
  flight_type: flightTypeSchema,
  cabin: cabinSchema,
  flights: z.array(reservationFlightSchema),
  passengers: z.array(passengerSchema),
  payment_history: z.array(paymentSchema),
  created_at: z.string(),
  total_baggages: z.number(),
  nonfree_baggages: z.number(),
  insurance: insuranceSchema,
  status: z.literal("cancelled").nullable().optional(),
});
export type Reservation = z.infer<typeof reservationSchema>;

export const airlineStateSchema = z.object({
  flights: z.record(z.string(), flightSchema),
  users: z.record(z.string(), userSchema),
  reservations: z.record(z.string(), reservationSchema),
});
export type AirlineState = z.infer<typeof airlineStateSchema>;

/** Only the records a rollout changed or created, keyed like the state. */
export interface StateDiff {
  flights: Record<string, Flight>;
  users: Record<string, User>;
  reservations: Record<string, Reservation>;
}
