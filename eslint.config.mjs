import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Raw SQL lives where the database is allowed (ARCHITECTURE.md): db/ and each domain's store.
    // dependency-cruiser checks the imports; this catches SQL sent through a handle passed in.
    files: ["lib/**/*.ts", "components/**/*.{ts,tsx}", "app/**/*.{ts,tsx}"],
    ignores: ["lib/*/store.ts", "lib/*/store/**", "**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name='$client']",
          message: "Raw SQL belongs in db/ or the domain's store (lib/<domain>/store.ts or store/).",
        },
        {
          selector: "CallExpression[callee.property.name='prepare'][arguments.0.type=/Literal|TemplateLiteral/]",
          message: "Raw SQL belongs in db/ or the domain's store (lib/<domain>/store.ts or store/).",
        },
      ],
    },
  },
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    "node_modules/**",
    "data/**",
    "db/migrations/**",
    "playwright-report/**",
    "test-results/**",
  ]),
]);
