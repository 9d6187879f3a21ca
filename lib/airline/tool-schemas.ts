/**
 * The 14 airline tools as the agent model sees them (OpenAI function-calling format) and
 * their kind: READ (looks at the database), WRITE (changes it; the only calls replayed by
 * the evaluator), GENERIC (calculate, transfer). Descriptions are the project's own text.
 */
import type { ToolSchema } from "../agents/types";

export type ToolKind = "read" | "write" | "generic";

type JsonSchema = Record<string, unknown>;

const str = (description: string): JsonSchema => ({ type: "string", description });
const int = (description: string): JsonSchema => ({ type: "integer", description });
const cabin = (description: string): JsonSchema => ({
  type: "string",
  enum: ["basic_economy", "economy", "business"],
  description,
});

const flightRefs: JsonSchema = {
  type: "array",
  description: "Flight segments, each a flight number and the date it departs.",
  items: {
    type: "object",
    properties: {
      flight_number: str("Flight number, e.g. 'HAT001'."),
      date: str("Departure date as YYYY-MM-DD, e.g. '2024-05-01'."),
    },
    required: ["flight_number", "date"],
  },
};

const passengers: JsonSchema = {
  type: "array",
  description: "Every traveller on the reservation.",
  items: {
    type: "object",
    properties: {
      first_name: str("Passenger's first name."),
      last_name: str("Passenger's last name."),
      dob: str("Passenger's date of birth as YYYY-MM-DD."),
    },
    required: ["first_name", "last_name", "dob"],
  },
};

function fn(name: string, description: string, properties: Record<string, JsonSchema>): ToolSchema {
  return {
    type: "function",
    function: {
      name,
      description,
      parameters: { type: "object", properties, required: Object.keys(properties) },
    },
  };
}

export const AIRLINE_TOOLS: { name: string; kind: ToolKind; schema: ToolSchema }[] = [
  {
    name: "book_reservation",
    kind: "write",
    schema: fn(
      "book_reservation",
      "Create a new reservation for a user and charge it. The charge is the cabin price of every flight times the number of passengers, plus $30 per passenger with insurance, plus $50 per non-free bag; the payments must add up to exactly that amount and each gift card or certificate must hold enough balance. Seats are taken from each flight.",
      {
        user_id: str("The booking user's id, e.g. 'sara_doe_496'."),
        origin: str("IATA code of the trip's origin, e.g. 'SFO'."),
        destination: str("IATA code of the trip's destination, e.g. 'JFK'."),
        flight_type: { type: "string", enum: ["one_way", "round_trip"], description: "Trip type." },
        cabin: cabin("Cabin class for every flight of the reservation."),
        flights: flightRefs,
        passengers,
        payment_methods: {
          type: "array",
          description: "How the total is paid: payment methods from the user's profile and the amount charged to each.",
          items: {
            type: "object",
            properties: {
              payment_id: str("Payment method id from the user's profile, e.g. 'credit_card_7815826'."),
              amount: { type: "number", description: "Amount in dollars charged to this method." },
            },
            required: ["payment_id", "amount"],
          },
        },
        total_baggages: int("Total number of checked bags on the reservation."),
        nonfree_baggages: int("How many of those bags are paid ($50 each)."),
        insurance: { type: "string", enum: ["yes", "no"], description: "Whether travel insurance is bought." },
      },
    ),
  },
  {
    name: "calculate",
    kind: "generic",
    schema: fn(
      "calculate",
      "Evaluate an arithmetic expression and return the result rounded to 2 decimal places.",
      { expression: str("The expression, e.g. '2 * (150 + 30)'. Only digits, + - * /, parentheses, '.' and spaces are allowed.") },
    ),
  },
  {
    name: "cancel_reservation",
    kind: "write",
    schema: fn(
      "cancel_reservation",
      "Cancel a whole reservation: every payment is refunded to the method it came from and the reservation is marked cancelled.",
      { reservation_id: str("The reservation id, e.g. 'ZFA04Y'.") },
    ),
  },
  {
    name: "get_reservation_details",
    kind: "read",
    schema: fn("get_reservation_details", "Look up a reservation: flights, passengers, payments, bags, insurance and status.", {
      reservation_id: str("The reservation id, e.g. '8JX2WO'."),
    }),
  },
  {
    name: "get_user_details",
    kind: "read",
    schema: fn("get_user_details", "Look up a user's profile: contact details, membership, payment methods, saved passengers and reservation ids.", {
      user_id: str("The user id, e.g. 'sara_doe_496'."),
    }),
  },
  {
    name: "list_all_airports",
    kind: "read",
    schema: fn("list_all_airports", "List every airport served, as IATA code and city.", {}),
  },
  {
    name: "search_direct_flight",
    kind: "read",
    schema: fn(
      "search_direct_flight",
      "Find nonstop flights between two airports on a date that can still be booked, with seats left and prices per cabin.",
      {
        origin: str("Origin airport IATA code, e.g. 'JFK'."),
        destination: str("Destination airport IATA code, e.g. 'LAX'."),
        date: str("Departure date as YYYY-MM-DD, e.g. '2024-05-20'."),
      },
    ),
  },
  {
    name: "search_onestop_flight",
    kind: "read",
    schema: fn(
      "search_onestop_flight",
      "Find itineraries with one connection between two airports on a date: pairs of bookable flights where the second leaves the connecting airport after the first arrives.",
      {
        origin: str("Origin airport IATA code, e.g. 'JFK'."),
        destination: str("Destination airport IATA code, e.g. 'LAX'."),
        date: str("Departure date of the first flight as YYYY-MM-DD, e.g. '2024-05-20'."),
      },
    ),
  },
  {
    name: "send_certificate",
    kind: "write",
    schema: fn("send_certificate", "Give a user a travel certificate (a voucher for future bookings) worth the given amount. Use with care.", {
      user_id: str("The user id, e.g. 'sara_doe_496'."),
      amount: { type: "number", description: "Certificate value in dollars." },
    }),
  },
  {
    name: "transfer_to_human_agents",
    kind: "generic",
    schema: fn(
      "transfer_to_human_agents",
      "Hand the conversation to a human agent with a summary of the issue. Only when the user explicitly asks for a human or the request cannot be handled with the available tools under the policy.",
      { summary: str("A short summary of the user's issue.") },
    ),
  },
  {
    name: "update_reservation_baggages",
    kind: "write",
    schema: fn(
      "update_reservation_baggages",
      "Change the checked-bag counts of a reservation. Additional non-free bags are charged $50 each to the given payment method (certificates are not accepted).",
      {
        reservation_id: str("The reservation id, e.g. 'ZFA04Y'."),
        total_baggages: int("New total number of checked bags."),
        nonfree_baggages: int("New number of paid bags."),
        payment_id: str("Payment method id from the user's profile, e.g. 'credit_card_7815826' or 'gift_card_7815826'."),
      },
    ),
  },
  {
    name: "update_reservation_flights",
    kind: "write",
    schema: fn(
      "update_reservation_flights",
      "Replace the flights and/or cabin of a reservation. Pass the ENTIRE new itinerary, including segments that do not change. Unchanged segments in the same cabin keep the price paid; other segments are priced now. The difference is charged to (or refunded to) the given payment method, which must be a credit card or gift card in the user's profile.",
      {
        reservation_id: str("The reservation id, e.g. 'ZFA04Y'."),
        cabin: cabin("Cabin class for the whole reservation after the change."),
        flights: flightRefs,
        payment_id: str("Payment method id from the user's profile, e.g. 'credit_card_7815826' or 'gift_card_7815826'."),
      },
    ),
  },
  {
    name: "update_reservation_passengers",
    kind: "write",
    schema: fn("update_reservation_passengers", "Replace the passenger details of a reservation. The number of passengers must stay the same.", {
      reservation_id: str("The reservation id, e.g. 'ZFA04Y'."),
      passengers,
    }),
  },
  {
    name: "get_flight_status",
    kind: "read",
    schema: fn("get_flight_status", "Get the status of a flight on a date (available, on time, delayed, flying, landed or cancelled).", {
      flight_number: str("Flight number, e.g. 'HAT001'."),
      date: str("Date as YYYY-MM-DD."),
    }),
  },
];

const KINDS = new Map(AIRLINE_TOOLS.map((t) => [t.name, t.kind]));
export const READ_TOOLS: string[] = AIRLINE_TOOLS.filter((t) => t.kind === "read").map((t) => t.name);
export const WRITE_TOOLS: string[] = AIRLINE_TOOLS.filter((t) => t.kind === "write").map((t) => t.name);
export const AIRLINE_TOOL_SCHEMAS: ToolSchema[] = AIRLINE_TOOLS.map((t) => t.schema);

export function toolKind(name: string): ToolKind | undefined {
  return KINDS.get(name);
}
