export default function Loading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading environment">
      <div className="h-8 w-48 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-24 animate-pulse rounded-lg bg-zinc-200/70 dark:bg-zinc-800/70" />
      <div className="h-96 animate-pulse rounded-lg bg-zinc-200/50 dark:bg-zinc-800/50" />
    </div>
  );
}
