import Link from "next/link";
import { Card } from "@/components/ui/card";
import type { EnvironmentRow } from "@/db/schema";
import { withParams } from "./ui";

/** An environment that cannot be opened (missing row, broken τ² directory): say why, offer the others. */
export function EnvError({ message, environments }: { message: string; environments: EnvironmentRow[] }) {
  return (
    <Card className="p-6">
      <p className="text-sm font-medium text-red-700 dark:text-red-400" role="alert">
        {message}
      </p>
      {environments.length ? (
        <ul className="mt-3 space-y-1 text-sm">
          {environments.map((e) => (
            <li key={e.id}>
              <Link className="text-indigo-700 hover:underline dark:text-indigo-400" href={withParams("/environment", { env: e.id })}>
                {e.name}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
