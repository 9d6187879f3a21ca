import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { EnvError } from "@/components/environment/env-error";
import { EnvHeader } from "@/components/environment/env-header";
import { FlightStatusBadge, FlightStatusDetail } from "@/components/environment/flight-status";
import { flightHref, reservationHref, userHref } from "@/components/environment/panels";
import { getDb } from "@/db/server";
import { loadPageEnvironment } from "@/lib/environment-sources/store/page-environment";
import { getEnv } from "@/lib/settings";
import { SectionTitle, Table, decodeParam, firstParam, linkClass, td, th, withParams } from "@/components/environment/ui";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { flightStatusesByDate, reservationsOnFlight } from "@/lib/environment-sources/search";

type Props = { params: Promise<{ number: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Flight ${decodeParam((await params).number)}` };
}

export default async function FlightPage({ params, searchParams }: Props) {
  await connection();
  const number = decodeParam((await params).number);
  const sp = await searchParams;
  const loaded = loadPageEnvironment(getDb(), firstParam(sp.env), { tau2DataDir: getEnv().TAU2_DATA_DIR });
  if (!loaded.ok) return <EnvError message={loaded.message} environments={loaded.environments} />;
  const { state } = loaded.env;
  const envId = loaded.row.id;
  const flight = Object.prototype.hasOwnProperty.call(state.flights, number) ? state.flights[number] : undefined;
  if (!flight) notFound();
  const selected = firstParam(sp.date);
  const statuses = flightStatusesByDate(flight);
  const booked = selected ? reservationsOnFlight(state, flight.flight_number, selected) : [];
  return (
    <>
      <PageHeader
        title={`Flight ${flight.flight_number}`}
        description={
          <>
            <Link className={linkClass} href={withParams("/environment", { env: envId, tab: "flights", origin: flight.origin, destination: flight.destination })}>
              Flights
            </Link>{" "}
            / {flight.origin} → {flight.destination} · scheduled {flight.scheduled_departure_time_est} – {flight.scheduled_arrival_time_est} (EST)
          </>
        }
      />
      <EnvHeader environments={loaded.environments} current={loaded.row} label={loaded.env.label} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <SectionTitle aside={`${statuses.length} dates`}>Status per date</SectionTitle>
          <Table head={<><th className={th}>Date</th><th className={th}>Status</th><th className={th}>Details</th></>}>
            {statuses.map(({ date, status }) => (
              <tr
                key={date}
                data-testid="flight-date-row"
                className={date === selected ? "bg-indigo-50 dark:bg-indigo-950/40" : undefined}
                aria-current={date === selected ? "true" : undefined}
              >
                <td className={td + " tabular-nums"}>
                  <Link className={linkClass} href={flightHref(envId, flight.flight_number, date)}>
                    {date}
                  </Link>
                </td>
                <td className={td}>
                  <FlightStatusBadge status={status.status} />
                </td>
                <td className={td}>
                  <FlightStatusDetail status={status} />
                </td>
              </tr>
            ))}
          </Table>
        </Card>
        <Card>
          <SectionTitle aside={selected ? selected : undefined}>Reservations on this flight</SectionTitle>
          {!selected ? (
            <EmptyState title="Pick a date">Click a date to list the reservations booked on that departure.</EmptyState>
          ) : booked.length === 0 ? (
            <EmptyState title={`No reservations on ${selected}`} />
          ) : (
            <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
              {booked.map((r) => (
                <li key={r.reservation_id} className="flex items-center justify-between gap-2 px-4 py-2">
                  <Link className={linkClass + " font-mono text-xs"} href={reservationHref(envId, r.reservation_id)}>
                    {r.reservation_id}
                  </Link>
                  <Link className="truncate font-mono text-xs text-zinc-600 hover:underline dark:text-zinc-400" href={userHref(envId, r.user_id)}>
                    {r.user_id}
                  </Link>
                  <span className="text-xs text-zinc-500">{r.status}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
