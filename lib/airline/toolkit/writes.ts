/**
 * The write tools (τ²'s book_reservation, cancel_reservation, update_reservation_*,
 * send_certificate) over one rollout's records, with τ²'s checks and messages, including
 * what τ² does not check.
 */
import { argArray, argCabin, argEnum, argInt, argString, toFlightInfos, toPassengers, toPayments, ToolError } from "../args";
import { TAU2_NOW, type Payment, type Reservation, type ReservationFlight } from "../schema";
import { AirlineRecords, has } from "./records";

/** τ²'s reservation id sequence (it allows three new reservations per episode). */
export const NEW_RESERVATION_IDS = ["HATHAT", "HATHAU", "HATHAV"] as const;
/** τ²'s certificate id sequence: "certificate_" + 3221322, 3221323, 3221324 (three per user per episode). */
export const NEW_CERTIFICATE_IDS = ["certificate_3221322", "certificate_3221323", "certificate_3221324"] as const;

export class AirlineWrites extends AirlineRecords {
  protected book(a: Record<string, unknown>): Reservation {
    const flightInfos = toFlightInfos(argArray(a, "flights"));
    const passengers = toPassengers(argArray(a, "passengers"));
    const payments = toPayments(argArray(a, "payment_methods"));
    const userId = argString(a, "user_id");
    const user = this.userOrThrow(userId);
    const reservationId = NEW_RESERVATION_IDS.find((id) => !this.getReservation(id));
    if (!reservationId) throw new ToolError("Too many reservations");
    // τ² builds the Reservation model here, which validates these fields.
    const origin = argString(a, "origin");
    const destination = argString(a, "destination");
    const flightType = argEnum(a, "flight_type", ["round_trip", "one_way"] as const, "Reservation");
    const cabin = argCabin(a, "cabin", "Reservation");
    const totalBags = argInt(a, "total_baggages", "Reservation");
    const nonfreeBags = argInt(a, "nonfree_baggages", "Reservation");
    const insurance = argEnum(a, "insurance", ["yes", "no"] as const, "Reservation");

    let total = 0;
    const segments: ReservationFlight[] = [];
    for (const info of flightInfos) {
      const flight = this.flightOrThrow(info.flight_number);
      const d = this.flightInstance(info.flight_number, info.date);
      if (d.status !== "available") throw new ToolError(`Flight ${info.flight_number} not available on date ${info.date}`);
      if (d.available_seats[cabin] < passengers.length) throw new ToolError(`Not enough seats on flight ${info.flight_number}`);
      const price = d.prices[cabin];
      segments.push({ origin: flight.origin, destination: flight.destination, flight_number: info.flight_number, date: info.date, price });
      total += price * passengers.length;
    }
    if (insurance === "yes") total += 30 * passengers.length;
    total += 50 * nonfreeBags;

    for (const p of payments) {
      if (!has(user.payment_methods, p.payment_id)) throw new ToolError(`Payment method ${p.payment_id} not found`);
      const pm = user.payment_methods[p.payment_id];
      if ((pm.source === "gift_card" || pm.source === "certificate") && pm.amount < p.amount) {
        throw new ToolError(`Not enough balance in payment method ${p.payment_id}`);
      }
    }
    const paid = payments.reduce((s, p) => s + p.amount, 0);
    if (paid !== total) throw new ToolError(`Payment amount does not add up, total price is ${total}, but paid ${paid}`);

    // From here τ² mutates as it goes; a certificate listed twice fails on its second
    // use after the first was already removed, leaving the earlier deductions in place.
    const owned = this.ownUser(userId);
    for (const p of payments) {
      if (!has(owned.payment_methods, p.payment_id)) throw new ToolError(`'${p.payment_id}'`);
      const pm = owned.payment_methods[p.payment_id];
      if (pm.source === "gift_card") this.setPaymentAmount(owned, p.payment_id, pm.amount - p.amount);
      else if (pm.source === "certificate") delete owned.payment_methods[p.payment_id];
    }
    for (const s of segments) this.takeSeats(s.flight_number, s.date, cabin, passengers.length);
    const reservation: Reservation = {
      reservation_id: reservationId,
      user_id: userId,
      origin,
      destination,
      flight_type: flightType,
      cabin,
      flights: segments,
      passengers,
      payment_history: payments,
      created_at: TAU2_NOW,
      total_baggages: totalBags,
      nonfree_baggages: nonfreeBags,
      insurance,
      status: null,
    };
    this.reservations.set(reservationId, reservation);
    owned.reservations.push(reservationId);
    return reservation;
  }

  protected cancel(id: string): Reservation {
    this.reservationOrThrow(id);
    const r = this.ownReservation(id);
    const refunds = r.payment_history.map((p) => ({ payment_id: p.payment_id, amount: -p.amount }));
    r.payment_history.push(...refunds);
    r.status = "cancelled";
    // τ² does not release seats on cancellation.
    return r;
  }

  /** τ²'s _payment_for_update: checks, debits a gift card, returns the payment to record (none when 0). */
  protected paymentForUpdate(userId: string, paymentId: string, amount: number): Payment | null {
    const user = this.getUser(userId)!;
    if (!has(user.payment_methods, paymentId)) throw new ToolError("Payment method not found");
    const pm = user.payment_methods[paymentId];
    if (pm.source === "certificate") throw new ToolError("Certificate cannot be used to update reservation");
    if (pm.source === "gift_card" && pm.amount < amount) throw new ToolError("Gift card balance is not enough");
    if (pm.source === "gift_card") this.setPaymentAmount(this.ownUser(userId), paymentId, pm.amount - amount);
    return amount !== 0 ? { payment_id: paymentId, amount } : null;
  }

  protected updateFlights(a: Record<string, unknown>): Reservation {
    const infos = toFlightInfos(argArray(a, "flights"));
    const id = argString(a, "reservation_id");
    const current = this.reservationOrThrow(id);
    this.userOrThrow(current.user_id);
    const cabin = argCabin(a, "cabin", "update_reservation_flights");
    const paymentId = argString(a, "payment_id");
    const pax = current.passengers.length;

    let total = 0;
    const next: ReservationFlight[] = [];
    for (const info of infos) {
      const kept = current.flights.find((f) => f.flight_number === info.flight_number && f.date === info.date && cabin === current.cabin);
      if (kept) {
        total += kept.price * pax;
        next.push(kept);
        continue;
      }
      const flight = this.flightOrThrow(info.flight_number);
      const d = this.flightInstance(info.flight_number, info.date);
      if (d.status !== "available") throw new ToolError(`Flight ${info.flight_number} not available on date ${info.date}`);
      if (d.available_seats[cabin] < pax) throw new ToolError(`Not enough seats on flight ${info.flight_number}`);
      const seg = { flight_number: info.flight_number, date: info.date, price: d.prices[cabin], origin: flight.origin, destination: flight.destination };
      total += seg.price * pax;
      next.push(seg);
    }
    total -= current.flights.reduce((s, f) => s + f.price, 0) * pax;

    const payment = this.paymentForUpdate(current.user_id, paymentId, total);
    const r = this.ownReservation(id);
    if (payment) r.payment_history.push(payment);
    r.flights = next;
    r.cabin = cabin;
    // τ² does not move seats between flights on a change.
    return r;
  }

  protected updateBaggages(a: Record<string, unknown>): Reservation {
    const id = argString(a, "reservation_id");
    const current = this.reservationOrThrow(id);
    this.userOrThrow(current.user_id);
    const totalBags = argInt(a, "total_baggages");
    const nonfreeBags = argInt(a, "nonfree_baggages");
    const paymentId = argString(a, "payment_id");
    const charge = 50 * Math.max(0, nonfreeBags - current.nonfree_baggages);
    const payment = this.paymentForUpdate(current.user_id, paymentId, charge);
    const r = this.ownReservation(id);
    if (payment) r.payment_history.push(payment);
    r.total_baggages = totalBags;
    r.nonfree_baggages = nonfreeBags;
    return r;
  }

  protected updatePassengers(a: Record<string, unknown>): Reservation {
    const passengers = toPassengers(argArray(a, "passengers"));
    const id = argString(a, "reservation_id");
    const current = this.reservationOrThrow(id);
    if (passengers.length !== current.passengers.length) throw new ToolError("Number of passengers does not match");
    const r = this.ownReservation(id);
    r.passengers = passengers;
    return r;
  }

  protected sendCertificate(userId: string, amount: number): string {
    const user = this.userOrThrow(userId);
    for (const pid of NEW_CERTIFICATE_IDS) {
      if (!has(user.payment_methods, pid)) {
        const owned = this.ownUser(userId);
        owned.payment_methods[pid] = { source: "certificate", id: pid, amount };
        return `Certificate ${pid} added to user ${userId} with amount ${amount}.`;
      }
    }
    throw new ToolError("Too many certificates");
  }
}
