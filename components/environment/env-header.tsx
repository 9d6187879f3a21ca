import Link from "next/link";
import { Card } from "@/components/ui/card";
import type { EnvironmentRow } from "@/db/schema";
import { EnvPicker } from "./env-picker";
import { withParams } from "./ui";

export const ENV_TABS = [
  { id: "users", label: "Users" },
  { id: "reservations", label: "Reservations" },
  { id: "flights", label: "Flights" },
  { id: "tools", label: "Tools" },
  { id: "policy", label: "Policy" },
] as const;
export type EnvTab = (typeof ENV_TABS)[number]["id"];

export function parseTab(v: string | undefined): EnvTab {
  return (ENV_TABS.find((t) => t.id === v)?.id ?? "users") as EnvTab;
}

/** Environment picker, source line and the tab bar (links: every view has a URL). */
export function EnvHeader({
  environments,
  current,
  label,
  counts,
  tab,
}: {
  environments: EnvironmentRow[];
  current: EnvironmentRow;
  label: string;
  counts?: { users: number; reservations: number; flights: number };
  tab?: EnvTab;
}) {
  return (
    <Card className="mb-4">
      <div className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
        <EnvPicker environments={environments.map((e) => ({ id: e.id, name: e.name }))} current={current.id} />
        <div className="text-xs text-zinc-500 dark:text-zinc-400">
          <span className="font-mono">{label}</span>
          {counts ? (
            <span className="tabular-nums">
              {" · "}
              {counts.users.toLocaleString("en-US")} users · {counts.reservations.toLocaleString("en-US")} reservations ·{" "}
              {counts.flights.toLocaleString("en-US")} flights
            </span>
          ) : null}
        </div>
      </div>
      <nav aria-label="Environment sections" className="flex gap-1 overflow-x-auto border-t border-zinc-200 px-3 py-2 dark:border-zinc-800">
        {ENV_TABS.map((t) => {
          const active = t.id === tab;
          return (
            <Link
              key={t.id}
              href={withParams("/environment", { env: current.id, tab: t.id })}
              aria-current={active ? "page" : undefined}
              className={
                "rounded-md px-3 py-1.5 text-sm font-medium transition-colors " +
                (active
                  ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                  : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100")
              }
            >
              {t.label}
            </Link>
          );
        })}
      </nav>
    </Card>
  );
}
