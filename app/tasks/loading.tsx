export default function Loading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading tasks">
      <div className="h-8 w-48 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-72 animate-pulse rounded-lg bg-zinc-200/70 dark:bg-zinc-800/70" />
      <div className="h-64 animate-pulse rounded-lg bg-zinc-200/50 dark:bg-zinc-800/50" />
    </div>
  );
}
