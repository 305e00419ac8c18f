// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The pure core never talks to GitHub: probot and @octokit/* belong to src/github/ and the App entry.
const pureCore = ["formats", "diff", "rules", "gates", "render", "config", "engine"].map(
  (dir) => `src/${dir}/**/*.ts`,
);

// Only what ships lives in src/: the emulator and the demo under tools/ are development tools,
// never built into dist/ nor shipped, and their dependencies are not installed in production.
const toolsMessage =
  "src/ is the product and may not import the development tools under tools/ (the GitHub emulator, the demo): they are not built into dist/ nor shipped.";
const noTools = [
  { group: ["@changegate/*"], message: toolsMessage },
  { regex: "^(\\.\\./)+tools/", message: toolsMessage },
];

export default tseslint.config(
  {
    // action/ holds the Action's generated bundle (`npm run bundle`), not source.
    ignores: [
      "dist/**",
      "node_modules/**",
      "coverage/**",
      "examples/**",
      "test/fixtures/**",
      "action/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["bin/**/*.js", "scripts/**/*.ts"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    files: ["scripts/**/*.mjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        fetch: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
      },
    },
  },
  {
    // Snapshots of rendered markdown hold the zero-width spaces that defuse @mentions.
    files: ["test/**/*.ts"],
    rules: { "no-irregular-whitespace": ["error", { skipStrings: true, skipTemplates: true }] },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: noTools }] },
  },
  {
    // Replaces the src/** entry above for these files (flat config does not merge a rule's options).
    files: pureCore,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "probot",
              message: "The pure core must not import probot: move I/O to src/github/.",
            },
          ],
          patterns: [
            {
              group: ["@octokit/*"],
              message: "The pure core must not import Octokit: move I/O to src/github/.",
            },
            {
              group: [
                "node:fs",
                "fs",
                "node:child_process",
                "child_process",
                "node:http",
                "node:https",
                "node:net",
              ],
              message: "The pure core does no I/O.",
            },
            ...noTools,
          ],
        },
      ],
    },
  },
);
