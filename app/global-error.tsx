"use client";
import Link from "next/link";
/**
 * Last-resort boundary: replaces the root layout when the layout itself fails, so it brings its
 * own <html> and <body> and plain styles (the app's CSS may be what failed to load).
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", textAlign: "center", padding: "5rem 1rem" }}>
        <h1 style={{ fontSize: "1.5rem" }}>WRIT Lab could not be shown</h1>
        <p style={{ color: "#52525b" }}>
          {error.digest ? `A server error occurred (reference ${error.digest}; the server log has the details).` : error.message || "An unexpected error occurred."}
        </p>
        <p>
          <button type="button" onClick={reset}>Try again</button> · <Link href="/">Back to WRIT Lab</Link>
        </p>
      </body>
    </html>
  );
}
