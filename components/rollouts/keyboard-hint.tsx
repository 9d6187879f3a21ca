const kbd = "rounded border border-zinc-300 bg-white px-1 font-mono text-[11px] text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200";

export function KeyboardHint({ siblings = true, jumps = false }: { siblings?: boolean; jumps?: boolean }) {
  return (
    <p className="text-xs text-zinc-500 dark:text-zinc-400">
      <kbd className={kbd}>j</kbd>/<kbd className={kbd}>k</kbd> next/previous turn
      {siblings ? (
        <>
          {" · "}
          <kbd className={kbd}>h</kbd>/<kbd className={kbd}>l</kbd> previous/next sibling
        </>
      ) : null}
      {jumps ? (
        <>
          {" · "}
          <kbd className={kbd}>t</kbd> next turn of the chosen tier · <kbd className={kbd}>c</kbd> next change
        </>
      ) : null}
      {" · "}the URL keeps the selection
    </p>
  );
}
