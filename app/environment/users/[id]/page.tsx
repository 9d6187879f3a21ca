import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { EnvError } from "@/components/environment/env-error";
import { EnvHeader } from "@/components/environment/env-header";
import { flightHref, reservationHref } from "@/components/environment/panels";
import { getDb } from "@/db/server";
import { loadPageEnvironment } from "@/lib/environment-sources/store/page-environment";
import { getEnv } from "@/lib/settings";
import { Field, SectionTitle, Table, decodeParam, firstParam, linkClass, money, td, th, withParams } from "@/components/environment/ui";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { searchReservations } from "@/lib/environment-sources/search";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `User ${decodeParam((await params).id)}` };
}

export default async function UserPage({ params, searchParams }: Props) {
  await connection();
  const id = decodeParam((await params).id);
  const loaded = loadPageEnvironment(getDb(), firstParam((await searchParams).env), { tau2DataDir: getEnv().TAU2_DATA_DIR });
  if (!loaded.ok) return <EnvError message={loaded.message} environments={loaded.environments} />;
  const { state } = loaded.env;
  const envId = loaded.row.id;
  const user = Object.prototype.hasOwnProperty.call(state.users, id) ? state.users[id] : undefined;
  if (!user) notFound();
  const reservations = searchReservations(state, { user: id, pageSize: 200 }).items;
  const a = user.address;
  return (
    <>
      <PageHeader
        title={`${user.name.first_name} ${user.name.last_name}`}
        description={
          <>
            <Link className={linkClass} href={withParams("/environment", { env: envId, tab: "users" })}>
              Users
            </Link>{" "}
            / <span className="font-mono">{user.user_id}</span>
          </>
        }
      />
      <EnvHeader environments={loaded.environments} current={loaded.row} label={loaded.env.label} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-1">
          <SectionTitle>Profile</SectionTitle>
          <dl className="grid grid-cols-2 gap-3 px-4 py-3">
            <Field label="User id">
              <span className="font-mono text-xs">{user.user_id}</span>
            </Field>
            <Field label="Membership">
              <Badge tone={user.membership === "gold" ? "amber" : user.membership === "silver" ? "blue" : "neutral"}>{user.membership}</Badge>
            </Field>
            <Field label="Email">{user.email}</Field>
            <Field label="Date of birth">{user.dob}</Field>
            <div className="col-span-2">
              <Field label="Address">
                {a.address1}
                {a.address2 ? `, ${a.address2}` : ""}, {a.city}, {a.state} {a.zip}, {a.country}
              </Field>
            </div>
          </dl>
          <SectionTitle>Payment methods</SectionTitle>
          <ul className="divide-y divide-zinc-100 px-4 text-sm dark:divide-zinc-800">
            {Object.values(user.payment_methods).map((p) => (
              <li key={p.id} className="flex items-center justify-between gap-2 py-2">
                <span className="font-mono text-xs">{p.id}</span>
                <span className="text-zinc-600 dark:text-zinc-400">
                  {p.source === "credit_card" ? `${p.brand} ···${p.last_four}` : `${p.source.replace("_", " ")} ${money(p.amount)}`}
                </span>
              </li>
            ))}
          </ul>
          <SectionTitle>Saved passengers</SectionTitle>
          {user.saved_passengers.length ? (
            <ul className="px-4 py-2 text-sm">
              {user.saved_passengers.map((p) => (
                <li key={`${p.first_name}-${p.last_name}-${p.dob}`} className="py-1">
                  {p.first_name} {p.last_name} <span className="text-xs text-zinc-500">({p.dob})</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="px-4 py-3 text-sm text-zinc-500">None.</p>
          )}
        </Card>
        <Card className="lg:col-span-2">
          <SectionTitle aside={`${reservations.length} reservation${reservations.length === 1 ? "" : "s"}`}>Reservations</SectionTitle>
          {reservations.length === 0 ? (
            <EmptyState title="No reservations" />
          ) : (
            <Table head={<><th className={th}>Reservation</th><th className={th}>Route</th><th className={th}>Flights</th><th className={th}>Cabin</th><th className={th}>Status</th></>}>
              {reservations.map((r) => {
                const full = state.reservations[r.reservation_id];
                return (
                  <tr key={r.reservation_id} data-testid="user-reservation-row">
                    <td className={td + " font-mono text-xs"}>
                      <Link className={linkClass} href={reservationHref(envId, r.reservation_id)}>
                        {r.reservation_id}
                      </Link>
                    </td>
                    <td className={td}>
                      {r.origin} → {r.destination} <span className="text-xs text-zinc-500">({r.flight_type.replace("_", " ")})</span>
                    </td>
                    <td className={td + " text-xs"}>
                      {full.flights.map((f) => (
                        <div key={`${f.flight_number}-${f.date}`}>
                          <Link className={linkClass + " font-mono"} href={flightHref(envId, f.flight_number, f.date)}>
                            {f.flight_number}
                          </Link>{" "}
                          <span className="tabular-nums text-zinc-500">{f.date}</span>
                        </div>
                      ))}
                    </td>
                    <td className={td}>{r.cabin.replace("_", " ")}</td>
                    <td className={td}>
                      <Badge tone={r.status === "cancelled" ? "red" : "green"}>{r.status}</Badge>
                    </td>
                  </tr>
                );
              })}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
