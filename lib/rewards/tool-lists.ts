/**
 * Default airline tool lists for classification. lib/airline (READ_TOOLS / WRITE_TOOLS) is being
 * written concurrently; until it lands these mirror lib/airline/CONTRACT.md. `calculate` counts as a
 * read (a lookup that changes nothing); `transfer_to_human_agents` is generic (neither).
 * TODO(rewards): import READ_TOOLS / WRITE_TOOLS from ../airline once lib/airline/index.ts exists.
 */
export const DEFAULT_READ_TOOLS: readonly string[] = [
  "get_user_details",
  "get_reservation_details",
  "search_direct_flight",
  "search_onestop_flight",
  "list_all_airports",
  "get_flight_status",
  "calculate",
];

export const DEFAULT_WRITE_TOOLS: readonly string[] = [
  "book_reservation",
  "cancel_reservation",
  "update_reservation_flights",
  "update_reservation_baggages",
  "update_reservation_passengers",
  "send_certificate",
];

export const DEFAULT_GENERIC_TOOLS: readonly string[] = ["transfer_to_human_agents"];
