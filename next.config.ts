import type { NextConfig } from "next";
import { PROXY_BODY_CLONE_BYTES } from "./lib/http/json-body";
import { STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

/**
 * better-sqlite3 is a native addon: it must be required at runtime from node_modules,
 * never bundled. typedRoutes stays off so later pages can be added without a typegen step.
 * Security headers: the request-independent ones on every path here (static assets
 * included); the Content-Security-Policy with its per-request nonce in proxy.ts.
 * proxyClientMaxBodySize: Next.js gives a route only this much of a body once proxy.ts
 * exists; it stays above every route's JSON limit so an oversized body is answered 413 by
 * lib/http/json-body.ts instead of arriving cut short as "not valid JSON".
 * allowedDevOrigins: `next dev` refuses its HMR socket to any origin but localhost unless
 * listed, and the client never hydrates without it; the dev server is used at 127.0.0.1.
 */
const nextConfig: NextConfig = {
  serverExternalPackages: ["better-sqlite3"],
  typedRoutes: false,
  poweredByHeader: false,
  allowedDevOrigins: ["127.0.0.1"],
  experimental: { proxyClientMaxBodySize: PROXY_BODY_CLONE_BYTES },
  async headers() {
    return [{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }];
  },
};

export default nextConfig;
