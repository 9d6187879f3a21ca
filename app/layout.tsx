import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell/app-shell";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "WRIT Lab", template: "%s · WRIT Lab" },
  description: "Synthesize tool-calling tasks, run rollouts and calibrate per-turn rewards.",
};

/**
 * Every page renders per request: the Content-Security-Policy (proxy.ts) allows only scripts
 * carrying that request's nonce, and a page prerendered at build time would have none.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>
          <AppShell>{children}</AppShell>
        </Providers>
      </body>
    </html>
  );
}
