import { afterEach, describe, expect, it, vi } from "vitest";
import { parseAuditDate } from "../../src/cli/audit-options.js";
import { UsageError } from "../../src/cli/io.js";
import { run } from "./cli-helpers.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("audit dates", () => {
  it("reads a day as its UTC start (since) or its last millisecond (until)", () => {
    expect(parseAuditDate("2026-03-01", "since")).toBe(Date.UTC(2026, 2, 1));
    expect(parseAuditDate("2026-03-31", "until")).toBe(Date.UTC(2026, 3, 1) - 1);
  });

  it("reads an instant with Z or an offset", () => {
    expect(parseAuditDate("2026-03-01T09:30:00Z", "since")).toBe(Date.UTC(2026, 2, 1, 9, 30));
    expect(parseAuditDate("2026-03-01T09:30:00.250+02:00", "until")).toBe(
      Date.UTC(2026, 2, 1, 7, 30, 0, 250),
    );
  });

  it("refuses a day that is no date, an instant without a zone, and anything else", () => {
    const problem = (text: string) => {
      try {
        parseAuditDate(text, "since");
        return undefined;
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
    };
    expect(problem("2026-02-30")).toBe("--since: 2026-02-30 is no calendar date");
    expect(problem("2026-03-01T09:30:00")).toBe(
      "--since: 2026-03-01T09:30:00 has no time zone: add Z (UTC) or an offset such as +02:00",
    );
    expect(problem("2026-13-01T09:30:00Z")).toBe(
      "--since: 2026-13-01T09:30:00Z is no valid instant",
    );
    expect(problem("last week")).toBe(
      '--since: expected YYYY-MM-DD or an ISO 8601 instant, got "last week"',
    );
  });
});

describe("changegate audit: usage errors are one line and exit 2", () => {
  const cases: [string[], string][] = [
    [
      ["--since", "2026-01-01"],
      "give --repo OWNER/REPO (repeatable) or --all, not both and not neither",
    ],
    [
      ["--all", "--repo", "acme/web", "--since", "2026-01-01"],
      "give --repo OWNER/REPO (repeatable) or --all, not both and not neither",
    ],
    [["--repo", "acme/web"], "--since DATE is required (YYYY-MM-DD)"],
    [["--repo", "acme", "--since", "2026-01-01"], '--repo: expected OWNER/REPO, got "acme"'],
    [["--repo", "acme/..", "--since", "2026-01-01"], '--repo: expected OWNER/REPO, got "acme/.."'],
    [
      ["--repo", "acme/web", "--since", "2026-02-01", "--until", "2026-01-31"],
      "--until 2026-01-31 is before --since 2026-02-01",
    ],
    [
      ["--repo", "acme/web", "--since", "2026-01-01", "--format", "xlsx"],
      '--format must be one of csv, json (got "xlsx")',
    ],
    [
      ["--repo", "acme/web", "--since", "2026-01-01", "--app", "a b"],
      '--app: expected a GitHub App\'s slug, got "a b"',
    ],
    [
      ["--repo", "acme/web", "--since", "2026-01-01"],
      "set GITHUB_TOKEN to a token that can read the repositories",
    ],
    [
      ["--all", "--since", "2026-01-01"],
      "--all needs the App's credentials: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH)",
    ],
  ];
  it.each(cases)("audit %j", async (args, message) => {
    for (const name of ["GITHUB_TOKEN", "GH_TOKEN", "APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH"])
      vi.stubEnv(name, "");
    const { code, out, err } = await run("audit", ...args);
    expect({ code, out, err }).toEqual({ code: 2, out: "", err: `changegate: ${message}\n` });
  });

  it("names a private key that is not one, and an APP_ID that is no number", async () => {
    vi.stubEnv("APP_ID", "12");
    vi.stubEnv("PRIVATE_KEY", "not a key");
    expect((await run("audit", "--all", "--since", "2026-01-01")).err).toBe(
      "changegate: PRIVATE_KEY is not a PEM private key\n",
    );
    vi.stubEnv("APP_ID", "Iv1.abc");
    expect((await run("audit", "--all", "--since", "2026-01-01")).err).toBe(
      'changegate: APP_ID is not a number: "Iv1.abc"\n',
    );
  });
});
