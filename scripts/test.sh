#!/usr/bin/env bash
# npm test: typecheck, lint, unit + integration tests (vitest), then the browser e2e
# against a production build (built first when missing). Stops at the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

stage() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -x /usr/bin/chromium ]; then
  echo "npm test: /usr/bin/chromium is missing; the e2e tests need Debian's Chromium." >&2
  echo "          install it with: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi

stage "typecheck (tsc --noEmit)"
npx tsc --noEmit

stage "lint (eslint)"
npx eslint . --max-warnings=0

stage "layers (dependency-cruiser rules and lib-folder cycles; see ARCHITECTURE.md)"
npm run --silent lint:layers

stage "unit and integration tests (vitest)"
mkdir -p .test-reports
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-reports/vitest.json

stage "e2e (playwright, production build via npm start)"
# Build when there is no build, or when anything the web bundle includes changed since.
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib db proxy.ts next.config.ts postcss.config.mjs package-lock.json \
      -newer .next/BUILD_ID -type f 2>/dev/null | head -n 1)" ]; then
  stage "next build"
  npx next build
fi
PLAYWRIGHT_JSON_OUTPUT_NAME=.test-reports/e2e.json npx playwright test --reporter=list,json

stage "all tests passed"
# One plain closing line over both runners (vitest and Playwright).
node -e '
const fs = require("fs");
const v = JSON.parse(fs.readFileSync(".test-reports/vitest.json", "utf8"));
const e = JSON.parse(fs.readFileSync(".test-reports/e2e.json", "utf8")).stats;
const passed = v.numPassedTests + e.expected + (e.flaky || 0);
const failed = v.numFailedTests + e.unexpected;
const skipped = v.numPendingTests + v.numTodoTests + e.skipped;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
// The PostgreSQL suite: describe blocks titled "[PostgreSQL] …" (tests/fixtures/pg.ts gates them).
const pgTests = v.testResults.flatMap((f) => f.assertionResults).filter((t) => (t.ancestorTitles[0] || "").startsWith("[PostgreSQL]"));
const pgRan = pgTests.filter((t) => t.status === "passed" || t.status === "failed").length;
const pgUrl = process.env.WRIT_TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres";
if (pgTests.length > 0 && pgRan === pgTests.length) console.log(`PostgreSQL suite: ran (${pgRan} tests on ${pgUrl.replace(/\/\/[^@/]*@/, "//")})`);
else console.log(`PostgreSQL suite: DID NOT RUN (${pgTests.length - pgRan} of ${pgTests.length} PostgreSQL tests skipped: no server answered at ${pgUrl.replace(/\/\/[^@/]*@/, "//")}); only the SQLite suite ran`);
'
