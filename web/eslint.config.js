// ESLint (flat config): the recommended JavaScript and TypeScript rules and React's rules of
// hooks over the UI's sources, its browser tests and its unit tests. Layout is Prettier's job
// (eslint-config-prettier turns off the rules that would fight it). `npm run lint`.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "e2e/screenshots/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
    ...reactHooks.configs.flat["recommended-latest"],
    rules: {
      ...reactHooks.configs.flat["recommended-latest"].rules,
      // useApi(fetcher, deps) takes its deps as useEffect does: check them at every call.
      "react-hooks/exhaustive-deps": ["warn", { additionalHooks: "^useApi$" }],
    },
  },
  {
    // A page area uses its own folder, components/ and api/; what two areas share lives in
    // components/ (docs/development.md, "Where to make a change").
    files: ["src/pages/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\.\\./(?!\\.\\./)|^\\.\\./\\.\\./pages/",
              message: "import shared pieces from src/components/, not another page area",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/components/**/*.{ts,tsx}", "src/api/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^\\.\\./pages/", message: "shared code must not depend on a page area" }] },
      ],
    },
  },
  {
    files: ["e2e/**/*.mjs", "test/**/*.{ts,mjs}", "*.{js,ts}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  prettier,
);
