/** The five Environment tabs. Server components: search runs on the server, filters live in the URL (GET forms). */
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { AIRLINE_TOOLS } from "@/lib/airline/tool-schemas";
import type { AirlineState } from "@/lib/airline/schema";
import {
  listStateAirports,
  listStateDates,
  searchFlights,
  searchReservations,
  searchUsers,
  type ReservationStatusFilter,
} from "@/lib/environment-sources/search";
import { FlightStatusBadge, FlightStatusDetail } from "./flight-status";
import { JsonBlock, Pager, SectionTitle, Table, inputClass, labelClass, linkClass, td, th, withParams } from "./ui";

type Params = Record<string, string | undefined>;

const pageOf = (p: Params) => Math.max(1, Number(p.page) || 1);

export function userHref(envId: number, id: string) {
  return withParams(`/environment/users/${encodeURIComponent(id)}`, { env: envId });
}
export function reservationHref(envId: number, id: string) {
  return withParams(`/environment/reservations/${encodeURIComponent(id)}`, { env: envId });
}
export function flightHref(envId: number, number: string, date?: string) {
  return withParams(`/environment/flights/${encodeURIComponent(number)}`, { env: envId, date });
}

function Hidden({ envId, tab }: { envId: number; tab: string }) {
  return (
    <>
      <input type="hidden" name="env" value={envId} />
      <input type="hidden" name="tab" value={tab} />
    </>
  );
}

export function UsersPanel({ state, envId, params }: { state: AirlineState; envId: number; params: Params }) {
  const q = params.q ?? "";
  const result = searchUsers(state, { q, page: pageOf(params) });
  return (
    <Card>
      <form action="/environment" className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800" role="search">
        <Hidden envId={envId} tab="users" />
        <label className={labelClass}>
          Search users
          <input className={inputClass + " w-80"} name="q" defaultValue={q} placeholder="id, name or email" />
        </label>
        <Button type="submit" variant="primary">
          Search
        </Button>
      </form>
      {result.total === 0 ? (
        <EmptyState title="No users match">Try part of a name (“mia”), an email domain or a user id.</EmptyState>
      ) : (
        <>
          <Table head={<><th className={th}>User id</th><th className={th}>Name</th><th className={th}>Email</th><th className={th}>Membership</th><th className={th + " text-right"}>Reservations</th></>}>
            {result.items.map((u) => (
              <tr key={u.user_id} data-testid="user-row">
                <td className={td + " font-mono text-xs"}>
                  <Link className={linkClass} href={userHref(envId, u.user_id)}>
                    {u.user_id}
                  </Link>
                </td>
                <td className={td}>{u.name}</td>
                <td className={td + " text-zinc-600 dark:text-zinc-400"}>{u.email}</td>
                <td className={td}>
                  <Badge tone={u.membership === "gold" ? "amber" : u.membership === "silver" ? "blue" : "neutral"}>{u.membership}</Badge>
                </td>
                <td className={td + " text-right tabular-nums"}>{u.reservations}</td>
              </tr>
            ))}
          </Table>
          <Pager {...result} href={(page) => withParams("/environment", { env: envId, tab: "users", q, page })} />
        </>
      )}
    </Card>
  );
}

export function ReservationsPanel({ state, envId, params }: { state: AirlineState; envId: number; params: Params }) {
  const q = params.q ?? "";
  const user = params.user ?? "";
  const status = params.status === "active" || params.status === "cancelled" ? (params.status as ReservationStatusFilter) : undefined;
  const result = searchReservations(state, { q, user, status, page: pageOf(params) });
  return (
    <Card>
      <form action="/environment" className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800" role="search">
        <Hidden envId={envId} tab="reservations" />
        <label className={labelClass}>
          Reservation id
          <input className={inputClass + " w-40 font-mono"} name="q" defaultValue={q} placeholder="e.g. 4WQ1" />
        </label>
        <label className={labelClass}>
          User id
          <input className={inputClass + " w-56 font-mono"} name="user" defaultValue={user} placeholder="exact user id" />
        </label>
        <label className={labelClass}>
          Status
          <select className={inputClass} name="status" defaultValue={status ?? ""}>
            <option value="">any</option>
            <option value="active">active</option>
            <option value="cancelled">cancelled</option>
          </select>
        </label>
        <Button type="submit" variant="primary">
          Search
        </Button>
      </form>
      {result.total === 0 ? (
        <EmptyState title="No reservations match" />
      ) : (
        <>
          <Table
            minWidth={820}
            head={<><th className={th}>Reservation</th><th className={th}>User</th><th className={th}>Route</th><th className={th}>Type</th><th className={th}>Cabin</th><th className={th}>First date</th><th className={th + " text-right"}>Pax</th><th className={th}>Status</th></>}
          >
            {result.items.map((r) => (
              <tr key={r.reservation_id} data-testid="reservation-row">
                <td className={td + " font-mono text-xs"}>
                  <Link className={linkClass} href={reservationHref(envId, r.reservation_id)}>
                    {r.reservation_id}
                  </Link>
                </td>
                <td className={td + " font-mono text-xs"}>
                  <Link className={linkClass} href={userHref(envId, r.user_id)}>
                    {r.user_id}
                  </Link>
                </td>
                <td className={td}>
                  {r.origin} → {r.destination}
                </td>
                <td className={td}>{r.flight_type.replace("_", " ")}</td>
                <td className={td}>{r.cabin.replace("_", " ")}</td>
                <td className={td + " tabular-nums"}>{r.first_date ?? "—"}</td>
                <td className={td + " text-right tabular-nums"}>{r.passengers}</td>
                <td className={td}>
                  <Badge tone={r.status === "cancelled" ? "red" : "green"}>{r.status}</Badge>
                </td>
              </tr>
            ))}
          </Table>
          <Pager {...result} href={(page) => withParams("/environment", { env: envId, tab: "reservations", q, user, status, page })} />
        </>
      )}
    </Card>
  );
}

export function FlightsPanel({ state, envId, params }: { state: AirlineState; envId: number; params: Params }) {
  const origin = (params.origin ?? "").toUpperCase();
  const destination = (params.destination ?? "").toUpperCase();
  const date = params.date ?? "";
  const airports = listStateAirports(state);
  const dates = listStateDates(state);
  const result = searchFlights(state, { origin, destination, date, page: pageOf(params) });
  return (
    <Card>
      <form action="/environment" className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800" role="search">
        <Hidden envId={envId} tab="flights" />
        <label className={labelClass}>
          Origin
          <select className={inputClass + " w-28"} name="origin" defaultValue={origin}>
            <option value="">any</option>
            {airports.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label className={labelClass}>
          Destination
          <select className={inputClass + " w-28"} name="destination" defaultValue={destination}>
            <option value="">any</option>
            {airports.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label className={labelClass}>
          Date
          <select className={inputClass + " w-36"} name="date" defaultValue={date}>
            <option value="">any</option>
            {dates.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="primary">
          Search
        </Button>
      </form>
      {result.total === 0 ? (
        <EmptyState title="No flights match">{date ? `No flight on this route has a record for ${date}.` : "Pick another route."}</EmptyState>
      ) : (
        <>
          <Table
            minWidth={760}
            head={<><th className={th}>Flight</th><th className={th}>Route</th><th className={th}>Scheduled</th>{date ? <th className={th}>Status on {date}</th> : <th className={th + " text-right"}>Dates</th>}</>}
          >
            {result.items.map((f) => (
              <tr key={f.flight_number} data-testid="flight-row">
                <td className={td + " font-mono text-xs"}>
                  <Link className={linkClass} href={flightHref(envId, f.flight_number, date || undefined)}>
                    {f.flight_number}
                  </Link>
                </td>
                <td className={td}>
                  {f.origin} → {f.destination}
                </td>
                <td className={td + " tabular-nums"}>
                  {f.scheduled_departure_time_est} – {f.scheduled_arrival_time_est}
                </td>
                {f.date_status ? (
                  <td className={td}>
                    <div className="flex flex-wrap items-center gap-2">
                      <FlightStatusBadge status={f.date_status.status} />
                      <FlightStatusDetail status={f.date_status} />
                    </div>
                  </td>
                ) : (
                  <td className={td + " text-right tabular-nums"}>{f.dates}</td>
                )}
              </tr>
            ))}
          </Table>
          <Pager {...result} href={(page) => withParams("/environment", { env: envId, tab: "flights", origin, destination, date, page })} />
        </>
      )}
    </Card>
  );
}

export function ToolsPanel() {
  const tones = { read: "blue", write: "amber", generic: "neutral" } as const;
  return (
    <Card>
      <SectionTitle aside={`${AIRLINE_TOOLS.length} tools · only write tools change state`}>Tool catalogue</SectionTitle>
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {AIRLINE_TOOLS.map((t) => (
          <li key={t.name} className="px-4 py-3" data-testid="tool-row">
            <details>
              <summary className="flex cursor-pointer list-none flex-wrap items-center gap-2">
                <span className="font-mono text-sm font-medium">{t.name}</span>
                <Badge tone={tones[t.kind]}>{t.kind}</Badge>
                <span className="text-sm text-zinc-600 dark:text-zinc-400">{t.schema.function.description}</span>
              </summary>
              <div className="mt-3">
                <JsonBlock value={t.schema.function.parameters} label={`${t.name} parameters`} />
              </div>
            </details>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function PolicyPanel({ policy }: { policy: string }) {
  return (
    <Card>
      <SectionTitle aside="shown as plain text">Agent policy</SectionTitle>
      <pre className="max-h-[70vh] overflow-auto px-4 py-3 font-mono text-xs leading-relaxed whitespace-pre-wrap text-zinc-800 dark:text-zinc-200" data-testid="policy-text">
        {policy}
      </pre>
    </Card>
  );
}
