"use client";
/**
 * Error boundary for every page below the root layout: a page that throws while rendering
 * shows what went wrong and a way back, instead of a blank screen. The message is rendered as
 * text; server errors arrive with only a digest (Next.js hides their details from the browser),
 * which the operator can find in the server log.
 */
import Link from "next/link";

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl py-20 text-center" role="alert">
      <h1 className="text-2xl font-semibold">This page could not be shown</h1>
      <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
        {error.digest ? `A server error occurred (reference ${error.digest}; the server log has the details).` : error.message || "An unexpected error occurred."}
      </p>
      <div className="mt-6 flex justify-center gap-4 text-sm">
        <button type="button" onClick={reset} className="rounded-md bg-zinc-900 px-3 py-1.5 font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">
          Try again
        </button>
        <Link href="/" className="py-1.5 text-indigo-600 hover:underline dark:text-indigo-400">
          Back to WRIT Lab
        </Link>
      </div>
    </div>
  );
}
