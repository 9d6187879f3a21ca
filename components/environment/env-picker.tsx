"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/** Switch environment: keeps the current tab, drops record filters (ids differ per state). */
export function EnvPicker({ environments, current }: { environments: { id: number; name: string }[]; current: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Environment</span>
      <select
        aria-label="Environment"
        className="h-9 max-w-[26rem] rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        value={current}
        onChange={(e) => {
          const next = new URLSearchParams();
          next.set("env", e.target.value);
          const tab = params.get("tab");
          if (tab) next.set("tab", tab);
          router.push(`${pathname.startsWith("/environment/") ? "/environment" : pathname}?${next}`);
        }}
      >
        {environments.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </select>
    </label>
  );
}
