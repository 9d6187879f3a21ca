import { safeNextPath } from "@/lib/auth/access-token";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  const { next, error } = await searchParams;
  return (
    <div className="mx-auto mt-24 max-w-sm rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
      <h1 className="mb-1 text-lg font-semibold">Sign in to WRIT Lab</h1>
      <p className="mb-4 text-sm text-zinc-500">This server is protected by an access token (WRIT_ACCESS_TOKEN).</p>
      <form method="post" action="/api/auth/signin" className="space-y-3">
        <input type="hidden" name="next" value={safeNextPath(next)} />
        <label className="block text-sm">
          Access token
          <input name="token" type="password" autoComplete="current-password" required className="mt-1 w-full rounded border border-zinc-300 bg-transparent px-2 py-1.5 dark:border-zinc-700" />
        </label>
        {error ? <p role="alert" className="text-sm text-red-600">That token is not valid.</p> : null}
        <button type="submit" className="w-full rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">Sign in</button>
      </form>
    </div>
  );
}
