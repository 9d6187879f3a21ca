/**
 * The layers of WRIT Lab, enforced (`npm run lint:layers`; ARCHITECTURE.md draws them).
 *
 *   app ─► components ─► lib ◄─ workers, bin
 *                         │
 *                         ▼
 *                         db   (reached only through db/** and each domain's store)
 *
 * Type-only imports are allowed across layers (they vanish at runtime); the rules are
 * about what code runs where.
 */
const TESTS = "(\\.test\\.tsx?$|\\.golden\\.test\\.ts$|/__fixtures__/|/testing/|test-helpers\\.ts$|\\.fixture\\.ts$)";
// A module that touches the database: the drizzle query builder, the driver, the schema,
// the shared query modules or the connection itself.
const DB_TOUCH = "^(node_modules/(drizzle-orm|better-sqlite3)/|db/(schema|queries|client|retry|migrate)(/|\\.ts$))";
// Who may touch it: db/ itself, each domain's one store (lib/<domain>/store.ts or
// lib/<domain>/store/**), the composition roots (workers, bin) and the web layer's
// route handlers, which take a handle from db/server and hand it to a store.
const DB_ALLOWED = "^(db/|lib/[^/]+/store(\\.ts$|/)|workers/|bin/|bench/|scripts/|tests/|e2e/)";
// Pure domain modules: math and rules, no I/O frameworks.
const PURE_DOMAIN = "^lib/(analysis|rewards|airline|synthesis|random)/";

// The lib folders by level (ARCHITECTURE.md, docs/architecture.svg): a folder imports only
// from its own level or below. Files directly in lib/ (settings.ts, perf.ts) are level 0.
const LEVELS = [
  ["types", "errors", "cache", "random"],
  ["airline", "rewards", "analysis", "synthesis"],
  ["agents"],
  ["interchange", "environment-sources"],
  ["jobs", "threads", "http", "auth"],
  ["calibration"],
  ["rollouts", "synthesis-runs"],
  ["experiments", "ingest", "search", "compare"],
  ["exports", "reward-serving"],
  ["demo"],
  ["api-client"],
];
const folders = (list) => `^lib/(${list.join("|")})/`;
const levelRules = LEVELS.slice(0, -1).map((level, i) => ({
  name: `lib-level-${i}`,
  severity: "error",
  comment: `lib/{${level.join(",")}} sit at level ${i}: they import nothing from a higher level.`,
  from: { path: folders(level), pathNot: TESTS },
  to: { path: folders(LEVELS.slice(i + 1).flat()), dependencyTypesNot: ["type-only"] },
}));

module.exports = {
  forbidden: [
    ...levelRules,
    {
      name: "lib-root-is-level-0",
      severity: "error",
      comment: "lib/settings.ts and lib/perf.ts are read by everything; they import no lib folder above level 0.",
      from: { path: "^lib/[^/]+\\.ts$", pathNot: TESTS },
      to: { path: folders(LEVELS.slice(1).flat()), dependencyTypesNot: ["type-only"] },
    },
    {
      name: "lib-folders-known",
      severity: "error",
      comment: "Every lib folder has a level in .dependency-cruiser.cjs (LEVELS) and ARCHITECTURE.md.",
      from: { path: "^lib/" },
      to: { path: "^lib/[^/]+/", pathNot: folders(LEVELS.flat()) },
    },
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles make load order matter and block splitting; break the cycle by moving the shared part down.",
      from: { pathNot: TESTS },
      to: { circular: true, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "lib-not-up",
      severity: "error",
      comment: "lib/ is below the web layer: it imports nothing from app/ or components/.",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-not-app",
      severity: "error",
      comment: "Components are used by pages, never the other way round.",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "workers-bin-not-web",
      severity: "error",
      comment: "Workers and the CLI run without Next.js: they import lib/ and db/, never app/ or components/.",
      from: { path: "^(workers|bin)/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-no-db",
      severity: "error",
      comment: "Components render; data comes from lib/ stores (server components) or the API (client).",
      from: { path: "^components/", pathNot: TESTS },
      to: { path: "^(db/|node_modules/(drizzle-orm|better-sqlite3)/)", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "app-no-raw-db",
      severity: "error",
      comment: "Route handlers and pages take the handle from db/server and call a store or db/queries; they build no queries themselves.",
      from: { path: "^(app/|proxy\\.ts$)", pathNot: TESTS },
      to: { path: "^(node_modules/(drizzle-orm|better-sqlite3)/|db/(schema|client|migrate)(/|\\.ts$))", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "db-only-in-stores",
      severity: "error",
      comment: "Only db/ and each domain's one store module (lib/<domain>/store.ts or store/) touch the database.",
      from: { path: "^lib/", pathNot: `${DB_ALLOWED}|${TESTS}` },
      to: { path: DB_TOUCH, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "pure-domain",
      severity: "error",
      comment: "Domain modules (analysis, rewards, airline, synthesis, random) import no db, no Next.js, no worker threads.",
      from: { path: PURE_DOMAIN, pathNot: TESTS },
      to: {
        path: "^(db/|node_modules/(drizzle-orm|better-sqlite3|next|react)/|(node:)?worker_threads$)",
        dependencyTypesNot: ["type-only"],
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(\\.next|data|test-results|playwright-report|clients)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
