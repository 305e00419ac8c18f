// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The pure core never talks to GitHub: probot and @octokit/* belong to src/github/ and the App entry.
const pureCore = ["formats", "diff", "rules", "gates", "render", "config", "engine"].map(
  (dir) => `src/${dir}/**/*.ts`,
);

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "examples/**", "test/fixtures/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["bin/**/*.js", "scripts/**/*.ts"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
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
          ],
        },
      ],
    },
  },
);
