import Link from "next/link";

export default function NotFound() {
  return (
    <div className="py-20 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">
        <Link href="/" className="text-indigo-600 hover:underline dark:text-indigo-400">
          Back to WRIT Lab
        </Link>
      </p>
    </div>
  );
}
