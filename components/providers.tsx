"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
// zod in the browser without its eval probe, which the CSP refuses (see the module).
import "@/lib/http/zod-browser";

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser session (not per render).
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 2_000, retry: 1, refetchOnWindowFocus: true } },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
