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
'
