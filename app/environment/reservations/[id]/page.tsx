import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { EnvError } from "@/components/environment/env-error";
import { EnvHeader } from "@/components/environment/env-header";
import { FlightStatusBadge } from "@/components/environment/flight-status";
import { flightHref, userHref } from "@/components/environment/panels";
import { getDb } from "@/db/server";
import { loadPageEnvironment } from "@/lib/environment-sources/store/page-environment";
import { getEnv } from "@/lib/settings";
import { Field, SectionTitle, Table, decodeParam, firstParam, linkClass, money, td, th, withParams } from "@/components/environment/ui";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Reservation ${decodeParam((await params).id)}` };
}

export default async function ReservationPage({ params, searchParams }: Props) {
  await connection();
  const id = decodeParam((await params).id);
  const loaded = loadPageEnvironment(getDb(), firstParam((await searchParams).env), { tau2DataDir: getEnv().TAU2_DATA_DIR });
  if (!loaded.ok) return <EnvError message={loaded.message} environments={loaded.environments} />;
  const { state } = loaded.env;
  const envId = loaded.row.id;
  const r = Object.prototype.hasOwnProperty.call(state.reservations, id) ? state.reservations[id] : undefined;
  if (!r) notFound();
  const owner = state.users[r.user_id];
  const paid = r.payment_history.reduce((s, p) => s + p.amount, 0);
  return (
    <>
      <PageHeader
        title={`Reservation ${r.reservation_id}`}
        description={
          <>
            <Link className={linkClass} href={withParams("/environment", { env: envId, tab: "reservations" })}>
              Reservations
            </Link>{" "}
            / {r.origin} → {r.destination}
          </>
        }
      />
      <EnvHeader environments={loaded.environments} current={loaded.row} label={loaded.env.label} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card>
          <SectionTitle>Details</SectionTitle>
          <dl className="grid grid-cols-2 gap-3 px-4 py-3">
            <Field label="User">
              <Link className={linkClass + " font-mono text-xs"} href={userHref(envId, r.user_id)} data-testid="reservation-user-link">
                {r.user_id}
              </Link>
              {owner ? <div className="text-xs text-zinc-500">{`${owner.name.first_name} ${owner.name.last_name}`}</div> : null}
            </Field>
            <Field label="Status">
              <Badge tone={r.status === "cancelled" ? "red" : "green"}>{r.status === "cancelled" ? "cancelled" : "active"}</Badge>
            </Field>
            <Field label="Trip">{r.flight_type.replace("_", " ")}</Field>
            <Field label="Cabin">{r.cabin.replace("_", " ")}</Field>
            <Field label="Created">{r.created_at}</Field>
            <Field label="Insurance">{r.insurance}</Field>
            <Field label="Bags (total / paid)">
              {r.total_baggages} / {r.nonfree_baggages}
            </Field>
            <Field label="Net paid">{money(paid)}</Field>
          </dl>
          <SectionTitle>Passengers</SectionTitle>
          <ul className="px-4 py-2 text-sm">
            {r.passengers.map((p, i) => (
              <li key={i} className="py-1">
                {p.first_name} {p.last_name} <span className="text-xs text-zinc-500">({p.dob})</span>
              </li>
            ))}
          </ul>
        </Card>
        <div className="space-y-4 lg:col-span-2">
          <Card>
            <SectionTitle>Flights</SectionTitle>
            <Table head={<><th className={th}>Flight</th><th className={th}>Route</th><th className={th}>Date</th><th className={th}>Status that day</th><th className={th + " text-right"}>Price</th></>}>
              {r.flights.map((f) => {
                const st = state.flights[f.flight_number]?.dates[f.date];
                return (
                  <tr key={`${f.flight_number}-${f.date}`}>
                    <td className={td + " font-mono text-xs"}>
                      <Link className={linkClass} href={flightHref(envId, f.flight_number, f.date)}>
                        {f.flight_number}
                      </Link>
                    </td>
                    <td className={td}>
                      {f.origin} → {f.destination}
                    </td>
                    <td className={td + " tabular-nums"}>{f.date}</td>
                    <td className={td}>{st ? <FlightStatusBadge status={st.status} /> : <span className="text-xs text-zinc-500">no record</span>}</td>
                    <td className={td + " text-right tabular-nums"}>{money(f.price)}</td>
                  </tr>
                );
              })}
            </Table>
          </Card>
          <Card>
            <SectionTitle>Payment history</SectionTitle>
            <Table head={<><th className={th}>Payment method</th><th className={th + " text-right"}>Amount</th></>} minWidth={320}>
              {r.payment_history.map((p, i) => (
                <tr key={i}>
                  <td className={td + " font-mono text-xs"}>{p.payment_id}</td>
                  <td className={td + " text-right tabular-nums " + (p.amount < 0 ? "text-emerald-700 dark:text-emerald-400" : "")}>{money(p.amount)}</td>
                </tr>
              ))}
            </Table>
          </Card>
        </div>
      </div>
    </>
  );
}
