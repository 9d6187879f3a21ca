/** An ordered read plan without duplicates (same tool + same arguments counts once). */
import type { ToolAction } from "./spec";

export class ReadPlan {
  readonly actions: ToolAction[] = [];
  private readonly keys = new Set<string>();

  static key(a: ToolAction): string {
    return a.name + JSON.stringify(a.arguments);
  }
  add(name: string, args: Record<string, unknown>): this {
    const a = { name, arguments: args };
    const k = ReadPlan.key(a);
    if (!this.keys.has(k)) {
      this.keys.add(k);
      this.actions.push(a);
    }
    return this;
  }
  addAll(actions: readonly ToolAction[]): this {
    for (const a of actions) this.add(a.name, a.arguments);
    return this;
  }
  get size(): number {
    return this.actions.length;
  }
}

export const readUser = (user_id: string): ToolAction => ({ name: "get_user_details", arguments: { user_id } });
export const readReservation = (reservation_id: string): ToolAction => ({ name: "get_reservation_details", arguments: { reservation_id } });
export const searchAction = (kind: "direct" | "onestop", origin: string, destination: string, date: string): ToolAction => ({
  name: kind === "direct" ? "search_direct_flight" : "search_onestop_flight",
  arguments: { origin, destination, date },
});
export const statusAction = (flight_number: string, date: string): ToolAction => ({ name: "get_flight_status", arguments: { flight_number, date } });
