import type { NextConfig } from "next";

/**
 * better-sqlite3 is a native addon: it must be required at runtime from node_modules,
 * never bundled. typedRoutes stays off so later pages can be added without a typegen step.
 */
const nextConfig: NextConfig = {
  serverExternalPackages: ["better-sqlite3"],
  typedRoutes: false,
  poweredByHeader: false,
};

export default nextConfig;
