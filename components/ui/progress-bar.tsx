export function ProgressBar({
  value,
  max,
  tone = "indigo",
  label,
}: {
  value: number;
  max: number | null;
  tone?: "indigo" | "green" | "red" | "zinc";
  label?: string;
}) {
  const pct = max && max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  const fill = { indigo: "bg-indigo-500", green: "bg-emerald-500", red: "bg-red-500", zinc: "bg-zinc-400" }[tone];
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max ?? undefined}
      aria-valuenow={max ? value : undefined}
      className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div className={"h-full rounded-full transition-[width] duration-300 " + fill} style={{ width: `${pct}%` }} />
    </div>
  );
}
